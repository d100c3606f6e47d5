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
    /** The flag contract: a row whose committed flag is not TRUE is unsent; NULL counts as unsent everywhere. */
    public static final String UNSENT = "sent_to_kafka IS NOT TRUE";
    public static final String SENT = "sent_to_kafka IS TRUE";

    private final Connection db;
    private final String slot;

    public PostgresProbe(OpsSettings settings) throws SQLException {
        this.db = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
        this.slot = settings.captureSlot();
    }

    public Connection connection() {
        return db;
    }

    /** Rows whose committed flag is not TRUE (FALSE or NULL): capture sends each and then flags it. */
    public long backlog() throws SQLException {
        return single("SELECT count(*) FROM user_logins WHERE " + UNSENT);
    }

    public long sentCount() throws SQLException {
        return single("SELECT count(*) FROM user_logins WHERE " + SENT);
    }

    /**
     * The backlog and, when PostgreSQL records commit times (track_commit_timestamp), the age of
     * its oldest row: the commit of the transaction that last wrote it (an insert, or an UPDATE
     * setting the flag back). One scan of the table, as the count alone takes.
     *
     * @param oldestAgeSeconds -1 when unknown, with the reason in {@code ageUnknown}
     */
    public record Backlog(long rows, long oldestAgeSeconds, String ageUnknown) {
    }

    public Backlog backlogWithAge() throws SQLException {
        boolean tracked;
        try (PreparedStatement st = db.prepareStatement("SELECT current_setting('track_commit_timestamp')"); ResultSet rs = st.executeQuery()) {
            rs.next();
            tracked = "on".equals(rs.getString(1));
        }
        if (!tracked) {
            long rows = backlog();
            return new Backlog(rows, -1, rows == 0 ? null : "age unknown (track_commit_timestamp off)");
        }
        try (PreparedStatement st = db.prepareStatement("SELECT count(*), count(t), floor(extract(epoch FROM clock_timestamp() - min(t)))::bigint"
                + " FROM (SELECT pg_xact_commit_timestamp(xmin) AS t FROM user_logins WHERE " + UNSENT + ") u");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            long rows = rs.getLong(1);
            long known = rs.getLong(2);
            long age = rs.getLong(3);
            if (rows == 0) {
                return new Backlog(0, -1, null);
            }
            if (known == 0) {
                return new Backlog(rows, -1, "age unknown (committed before track_commit_timestamp was on)");
            }
            return new Backlog(rows, Math.max(0, age), known < rows ? "some rows committed before track_commit_timestamp was on" : null);
        }
    }

    /** The capture slot: whether it exists and a client streams from it, its confirmed position and lag. */
    public record Slot(String name, boolean exists, boolean active, long confirmedLsn, long lagBytes, String walStatus) {
        public static Slot missing(String name) {
            return new Slot(name, false, false, -1, -1, null);
        }
    }

    public Slot slot() throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT active, pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Slot.missing(slot);
                }
                long confirmed = rs.getLong(2);
                boolean known = !rs.wasNull();
                return new Slot(slot, true, rs.getBoolean(1), known ? confirmed : -1, known ? rs.getLong(3) : -1, rs.getString(4));
            }
        }
    }

    /**
     * What the capture publication sends of user_logins: inserts only (then a row set back to
     * FALSE by an UPDATE never reaches capture), or updates too, possibly through a row filter.
     */
    public record Publication(String name, boolean exists, boolean inserts, boolean updates, boolean tablePublished, String rowFilter) {
        public static Publication missing(String name) {
            return new Publication(name, false, false, false, false, null);
        }
    }

    public Publication publication(String name) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT p.pubinsert, p.pubupdate, t.tablename IS NOT NULL, t.rowfilter"
                + " FROM pg_publication p LEFT JOIN pg_publication_tables t ON t.pubname = p.pubname AND t.schemaname = 'public'"
                + " AND t.tablename = 'user_logins' WHERE p.pubname = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Publication.missing(name);
                }
                return new Publication(name, true, rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getString(4));
            }
        }
    }

    /** The columns of user_logins, in table order. */
    public List<String> columns() throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'user_logins' ORDER BY ordinal_position");
             ResultSet rs = st.executeQuery()) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
            return columns;
        }
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
                "SELECT id / ? AS b, count(*), sum(id)::bigint FROM user_logins WHERE " + SENT + " GROUP BY 1")) {
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
                "SELECT id FROM user_logins WHERE " + SENT + " AND id >= ? AND id < ? ORDER BY id")) {
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
