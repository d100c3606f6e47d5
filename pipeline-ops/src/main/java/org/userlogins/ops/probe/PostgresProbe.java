package org.userlogins.ops.probe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.userlogins.ops.OpsSettings;

/** Read-only questions to the source database. */
public final class PostgresProbe implements AutoCloseable {
    private final Connection db;
    private final String slot;

    public PostgresProbe(OpsSettings settings) throws SQLException {
        this.db = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
        this.slot = settings.captureSlot();
    }

    public Connection connection() {
        return db;
    }

    /** Rows not yet flagged sent_to_kafka (the seed's backlog). */
    public long backlog() throws SQLException {
        return single("SELECT count(*) FROM user_logins WHERE sent_to_kafka = FALSE");
    }

    public long sentCount() throws SQLException {
        return single("SELECT count(*) FROM user_logins WHERE sent_to_kafka");
    }

    /** WAL bytes the capture slot has not confirmed yet; -1 when the slot does not exist. */
    public long slotLagBytes() throws SQLException {
        try (PreparedStatement st = db.prepareStatement(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Per bucket of ids (id / width): count and sum of the sent ids. */
    public Map<Long, long[]> sentBuckets(long width) throws SQLException {
        Map<Long, long[]> buckets = new HashMap<>();
        try (PreparedStatement st = db.prepareStatement(
                "SELECT id / ? AS b, count(*), sum(id)::bigint FROM user_logins WHERE sent_to_kafka GROUP BY 1")) {
            st.setLong(1, width);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    buckets.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        return buckets;
    }

    /** The sent ids of one bucket, ascending. */
    public List<Long> sentIds(long bucket, long width) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(
                "SELECT id FROM user_logins WHERE sent_to_kafka AND id >= ? AND id < ? ORDER BY id")) {
            st.setLong(1, bucket * width);
            st.setLong(2, (bucket + 1) * width);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    public long single(String sql) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
