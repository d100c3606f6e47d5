package org.userlogins.capture.check;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.kit.ConfigException;

/**
 * Checks, before the engine starts, what Debezium would otherwise report as a stack trace minutes
 * later: the capture role can log in and replicate, WAL is logical, the table and the publication
 * exist and fit. Each failure is one line that says what to fix ({@link ConfigException}, exit 2).
 */
public final class PostgresChecks {
    private final CaptureSettings s;

    public PostgresChecks(CaptureSettings settings) {
        this.s = settings;
    }

    public void verify() {
        try (Connection db = connect()) {
            String walLevel = text(db, "SELECT current_setting('wal_level')");
            require("logical".equals(walLevel), "wal_level is " + walLevel + "; set wal_level=logical and restart PostgreSQL");
            require(flag(db, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user"),
                    "role " + s.pgUser() + " lacks REPLICATION: ALTER ROLE " + s.pgUser() + " REPLICATION (postgres-init/ does)");
            require(text(db, "SELECT to_regclass(?)::text", s.table()) != null,
                    "table " + s.table() + " does not exist: apply postgres-init/ or set CAPTURE_TABLE");
            require(flag(db, "SELECT has_table_privilege(?, 'SELECT') AND has_column_privilege(?, 'sent_to_kafka', 'UPDATE')", s.table(), s.table()),
                    "role " + s.pgUser() + " needs SELECT and UPDATE(sent_to_kafka) on " + s.table() + ": apply postgres-init/");
            require(text(db, "SELECT pubname::text FROM pg_publication WHERE pubname = ?", s.publication()) != null,
                    "publication " + s.publication() + " does not exist: apply postgres-init/ or set CAPTURE_PUBLICATION");
            require(flag(db, "SELECT current_setting('server_version_num')::int >= 150000"),
                    "PostgreSQL " + text(db, "SELECT current_setting('server_version')") + " has no publication row filters; capture needs PostgreSQL 15 or later");
            verifyColumns(db);
            String fix = "apply postgres-init/ (ALTER PUBLICATION " + s.publication() + " SET TABLE " + s.table() + " WHERE (sent_to_kafka IS NOT TRUE); "
                    + "ALTER PUBLICATION " + s.publication() + " SET (publish = 'insert, update'))";
            require(flag(db, "SELECT EXISTS (SELECT 1 FROM pg_publication p JOIN pg_publication_tables t ON t.pubname = p.pubname "
                            + "WHERE p.pubname = ? AND p.pubinsert AND p.pubupdate AND t.schemaname = ? AND t.tablename = ? "
                            + "AND t.rowfilter = '(sent_to_kafka IS NOT TRUE)')",
                            s.publication(), s.schemaName(), s.tableName()),
                    "publication " + s.publication() + " must publish inserts and updates of " + s.table()
                            + " with the row filter (sent_to_kafka IS NOT TRUE), or a flag set back to FALSE is never seen: " + fix);
            require("f".equals(text(db, "SELECT relreplident::text FROM pg_class WHERE oid = ?::regclass", s.table())),
                    "table " + s.table() + " needs REPLICA IDENTITY FULL (the row filter reads sent_to_kafka of an update's old row): "
                            + "apply postgres-init/ (ALTER TABLE " + s.table() + " REPLICA IDENTITY FULL)");
            verifySlot(db);
        } catch (SQLException e) {
            throw new StartupException("cannot check PostgreSQL at " + s.pgHost() + ":" + s.pgPort() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The columns capture reads, by type: a column it could not convert is refused here, at start,
     * rather than found row by row (a change while running sends the rows to the DLQ instead).
     */
    private void verifyColumns(Connection db) throws SQLException {
        String columnType = "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ? AND NOT attisdropped";
        String id = text(db, columnType, s.table(), "id");
        require(id != null && (id.equals("integer") || id.equals("bigint") || id.equals("smallint")),
                "column id of " + s.table() + " is " + (id == null ? "missing" : id) + "; capture needs an integer primary key (integer or bigint)");
        String flag = text(db, columnType, s.table(), "sent_to_kafka");
        require("boolean".equals(flag), "column sent_to_kafka of " + s.table() + " is " + (flag == null ? "missing" : flag) + "; it must be boolean");
        String eventTime = text(db, columnType, s.table(), "event_time");
        require(eventTime == null || eventTime.startsWith("timestamp"),
                "column event_time of " + s.table() + " is " + eventTime + "; capture converts timestamp(p) and timestamptz(p) only: "
                        + "ALTER TABLE " + s.table() + " ALTER COLUMN event_time TYPE timestamptz USING <an expression of the column>");
    }

    /**
     * Slot names are cluster-wide: a slot of this name made for another database (or another
     * plugin) cannot be used here, and Debezium would fail creating it on every restart. A slot
     * PostgreSQL invalidated (it fell more than max_slot_wal_keep_size behind and the WAL it needed
     * is gone) fails every start the same way: a restart cannot fix it, so it is refused here with
     * the recovery, instead of a crash loop.
     */
    private void verifySlot(Connection db) throws SQLException {
        String owner = text(db, "SELECT database::text || ' ' || plugin::text FROM pg_replication_slots WHERE slot_name = ?", s.slotName());
        if (owner != null && !owner.equals(s.pgDatabase() + " pgoutput")) {
            String[] databaseAndPlugin = owner.split(" ", 2);
            throw new ConfigException("replication slot " + s.slotName() + " exists for database " + databaseAndPlugin[0]
                    + " with plugin " + databaseAndPlugin[1] + ", not for database " + s.pgDatabase() + " with pgoutput: "
                    + "set CAPTURE_SLOT to a free name for this database, or drop the old slot "
                    + "(./pipeline drop-slot, with the settings it was made with)");
        }
        if ("lost".equals(text(db, "SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?", s.slotName()))) {
            throw new ConfigException("replication slot " + s.slotName() + " was invalidated (wal_status = lost): it fell more than "
                    + "max_slot_wal_keep_size behind and PostgreSQL removed the WAL it needed. No row is lost: the rows not sent "
                    + "yet still have sent_to_kafka not TRUE. Recover with ./pipeline drop-slot (or SELECT pg_drop_replication_slot('"
                    + s.slotName() + "')), then start capture: it snapshots those rows and streams from there");
        }
    }

    private Connection connect() {
        try {
            return DriverManager.getConnection(s.jdbcUrl(), s.pgUser(), s.pgPassword());
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            switch (state) {
                case "28P01" -> throw new ConfigException("password authentication failed for user " + s.pgUser() + ": check CAPTURE_PGPASSWORD");
                case "28000" -> throw new ConfigException("role " + s.pgUser() + " may not connect (" + e.getMessage()
                        + "): check CAPTURE_PGUSER and pg_hba.conf");
                case "3D000" -> throw new ConfigException("database " + s.pgDatabase() + " does not exist: check PGDATABASE");
                default -> throw new StartupException("cannot connect to PostgreSQL at " + s.pgHost() + ":" + s.pgPort()
                        + " (" + e.getMessage() + "): check PGHOST and PGPORT, or wait until it is up", e);
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }

    private static String text(Connection db, String sql, String... params) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setString(i + 1, params[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean flag(Connection db, String sql, String... params) throws SQLException {
        String value = text(db, sql, params);
        return "t".equals(value) || "true".equals(value);
    }
}
