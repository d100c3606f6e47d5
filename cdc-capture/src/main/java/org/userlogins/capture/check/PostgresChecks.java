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
            require(flag(db, "SELECT EXISTS (SELECT 1 FROM pg_publication p JOIN pg_publication_tables t ON t.pubname = p.pubname "
                            + "WHERE p.pubname = ? AND p.pubinsert AND t.schemaname = ? AND t.tablename = ?)",
                            s.publication(), s.schemaName(), s.tableName()),
                    "publication " + s.publication() + " does not publish inserts of " + s.table() + ": apply postgres-init/");
            verifySlot(db);
        } catch (SQLException e) {
            throw new StartupException("cannot check PostgreSQL at " + s.pgHost() + ":" + s.pgPort() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Slot names are cluster-wide: a slot of this name made for another database (or another
     * plugin) cannot be used here, and Debezium would fail creating it on every restart.
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
