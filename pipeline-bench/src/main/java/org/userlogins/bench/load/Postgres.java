package org.userlogins.bench.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.userlogins.ops.OpsSettings;

/** The bench's questions and writes to its own PostgreSQL database, as the superuser. */
public final class Postgres implements AutoCloseable {
    /** Rows shaped like the demo's: a few users and event types, event_time = now (UTC wall clock). */
    private static final String INSERT = "INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) "
            + "SELECT 'user' || (g % 97), (ARRAY['login','logout','purchase','registration','password_reset'])[1 + g % 5], "
            + "now() AT TIME ZONE 'UTC', ? FROM generate_series(1, ?) g";

    private final Connection db;
    private PreparedStatement insert;

    private Postgres(Connection db) {
        this.db = db;
    }

    public static Postgres connect(OpsSettings s) throws SQLException {
        return new Postgres(DriverManager.getConnection(s.jdbcUrl(), s.pgUser(), s.pgPassword()));
    }

    /** One transaction (autocommit) of {@code rows} rows. */
    public void insert(int rows, boolean alreadySent) throws SQLException {
        if (insert == null) {
            insert = db.prepareStatement(INSERT);
        }
        insert.setBoolean(1, alreadySent);
        insert.setInt(2, rows);
        insert.executeUpdate();
    }

    /** {@code rows} rows in transactions of 1,000 (autocommit each), as fast as one client can: the bench's steady insert. */
    public void insertInThousands(int rows, boolean alreadySent) throws SQLException {
        for (int done = 0; done < rows; done += 1_000) {
            insert(Math.min(1_000, rows - done), alreadySent);
        }
    }

    /**
     * 1,000-row transactions of unsent rows, each followed by a transaction that sets their flag to
     * TRUE, as capture's claim does: through the publication's row filter every row then reaches a
     * slot twice, as an insert and as a delete.
     */
    public void insertAndFlagInThousands(int rows) throws SQLException {
        for (int done = 0; done < rows; done += 1_000) {
            long before = maxId();
            insert(Math.min(1_000, rows - done), false);
            execute("UPDATE user_logins SET sent_to_kafka = TRUE WHERE id > " + before + " AND sent_to_kafka IS NOT TRUE");
        }
    }

    public void truncate() throws SQLException {
        execute("TRUNCATE user_logins RESTART IDENTITY");
    }

    public long maxId() throws SQLException {
        return single("SELECT coalesce(max(id), 0) FROM user_logins");
    }

    public long rows(long fromId, long toId) throws SQLException {
        return single("SELECT count(*) FROM user_logins WHERE id BETWEEN " + fromId + " AND " + toId);
    }

    public long unsent(long fromId, long toId) throws SQLException {
        return single("SELECT count(*) FROM user_logins WHERE id BETWEEN " + fromId + " AND " + toId
                + " AND sent_to_kafka IS DISTINCT FROM TRUE");
    }

    /** Drops slots whose name is LIKE {@code pattern} and that no one reads (a dangling slot retains WAL). */
    public int dropInactiveSlots(String pattern) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots "
                + "WHERE slot_name LIKE ? AND NOT active AND database = current_database()")) {
            st.setString(1, pattern);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Drops a slot of this database; a walsender may hold it for a moment after its reader stopped, so it tries until {@code timeout}. */
    public void dropSlot(String slot, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (single("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'") > 0 && System.nanoTime() < deadline) {
            dropInactiveSlots(slot);
            Thread.sleep(250);
        }
    }

    public String version() throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    public Connection connection() {
        return db;
    }

    public void execute(String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    public long single(String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
