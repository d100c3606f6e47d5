package org.userlogins.capture.ops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the replication slot's lag ({@code pg_current_wal_lsn() - confirmed_flush_lsn}) and retained
 * WAL ({@code pg_current_wal_lsn() - restart_lsn}) into the gauges, and warns (at most once a minute)
 * when retained WAL passes the threshold: a slot that does not advance fills the disk. Also counts
 * the backlog (unsent rows) for its gauge.
 */
public final class SlotMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotMonitor.class);
    private static final String SLOT_SQL = "SELECT (pg_current_wal_lsn() - confirmed_flush_lsn)::bigint, "
            + "(pg_current_wal_lsn() - restart_lsn)::bigint, active FROM pg_replication_slots WHERE slot_name = ?";
    private static final long WARN_EVERY_MS = 60_000;

    private final String url;
    private final String user;
    private final String password;
    private final String slot;
    private final long walWarnBytes;
    private final CaptureMetrics metrics;
    private Connection connection;
    private long lastWarnMs;

    public SlotMonitor(String url, String user, String password, String slot, long walWarnBytes, CaptureMetrics metrics) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.slot = slot;
        this.walWarnBytes = walWarnBytes;
        this.metrics = metrics;
    }

    /** One reading; errors are logged and leave the gauges unknown until the next one. */
    public void check() {
        try (PreparedStatement query = connection().prepareStatement(SLOT_SQL)) {
            query.setString(1, slot);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    unknown();
                    return;
                }
                metrics.replicationLagBytes.set(rs.getLong(1));
                metrics.retainedWalBytes.set(rs.getLong(2));
                metrics.slotActive.set(rs.getBoolean(3) ? 1 : 0);
                warnIfRetainedTooMuch(rs.getLong(2));
            }
        } catch (SQLException e) {
            LOG.warn("cannot read replication slot {}: {}", slot, e.getMessage());
            unknown();
            close();
        }
    }

    private void unknown() {
        metrics.replicationLagBytes.set(-1);
        metrics.retainedWalBytes.set(-1);
        metrics.slotActive.set(-1);
    }

    /** Rows still to send, for the progress lines at start and the backlog gauge; -1 when unknown. */
    public long countBacklog(String table) {
        try (PreparedStatement query = connection().prepareStatement("SELECT count(*) FROM " + table + " WHERE sent_to_kafka IS NOT TRUE");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            LOG.warn("cannot count the backlog of {}: {}", table, e.getMessage());
            close();
            return -1;
        }
    }

    private void warnIfRetainedTooMuch(long retained) {
        long now = System.currentTimeMillis();
        if (retained > walWarnBytes && now - lastWarnMs > WARN_EVERY_MS) {
            lastWarnMs = now;
            LOG.warn("replication slot {} retains {} of WAL (CAPTURE_WAL_WARN_BYTES {}): capture is behind or stuck; "
                    + "if the slot is abandoned, drop it (./pipeline drop-slot)", slot, mib(retained), mib(walWarnBytes));
        }
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, user, password);
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // discarded either way
            }
            connection = null;
        }
    }
}
