package org.userlogins.ops.preflight;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What cdc-capture needs of PostgreSQL, checked as the capture role itself (CAPTURE_PGUSER, with the
 * same TLS settings): logical decoding, the table as postgres-init/ creates it, its publication with
 * the row filter, and the role's rights. Each gap comes with the SQL that closes it, for an
 * administrator to run: nothing here creates or grants anything.
 */
public final class PostgresPreflight {
    private static final String SERVER = "postgres";

    private final String url;
    private final Properties login;
    private final String role;
    private final String schema;
    private final String table;
    private final String publication;
    private final String slot;

    public PostgresPreflight(String url, Properties login, String role, String qualifiedTable, String publication, String slot) {
        this.url = url;
        this.login = login;
        this.role = role;
        String[] parts = qualifiedTable.split("\\.", 2);
        this.schema = parts[0];
        this.table = parts[1];
        this.publication = publication;
        this.slot = slot;
    }

    public List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, login)) {
            findings.add(Finding.ok(SERVER, "log in as " + role + " (" + url + ")"));
            findings.add(walLevel(c));
            findings.add(replicationRight(c));
            boolean tableExists = exists(c, "SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                    + "WHERE n.nspname = ? AND k.relname = ? AND k.relkind = 'r'", schema, table);
            if (!tableExists) {
                findings.add(Finding.missing(SERVER, "table " + qualified(), "it does not exist (or " + role + " cannot see it)",
                        PostgresSetup.table(schema, table) + "\n" + PostgresSetup.grants(role, schema, table)));
            } else {
                findings.add(Finding.ok(SERVER, "table " + qualified()));
                findings.add(replicaIdentity(c));
                findings.add(rights(c));
            }
            findings.add(publication(c));
            findings.add(slots(c));
        } catch (SQLException e) {
            findings.add(Finding.missing(SERVER, "log in as " + role + " (" + url + ")", e.getMessage(),
                    PostgresSetup.role(role) + "\n-- and in pg_hba.conf a line for it on this database, e.g.\n"
                            + "--   hostssl <database> " + role + " <client address> scram-sha-256\n"
                            + "-- (logical replication connections match the database name, not `replication`)"));
        }
        return findings;
    }

    private Finding walLevel(Connection c) throws SQLException {
        String level = single(c, "SHOW wal_level");
        return "logical".equals(level) ? Finding.ok(SERVER, "wal_level = logical")
                : Finding.missing(SERVER, "wal_level = logical", "wal_level is " + level,
                        "ALTER SYSTEM SET wal_level = logical;  -- then restart PostgreSQL");
    }

    private Finding replicationRight(Connection c) throws SQLException {
        boolean may = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolreplication OR rolsuper)");
        return may ? Finding.ok(SERVER, role + " may replicate")
                : Finding.missing(SERVER, role + " may replicate", "the role lacks REPLICATION", "ALTER ROLE " + role + " REPLICATION;");
    }

    private Finding replicaIdentity(Connection c) throws SQLException {
        boolean full = exists(c, "SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                + "WHERE n.nspname = ? AND k.relname = ? AND k.relreplident = 'f'", schema, table);
        return full ? Finding.ok(SERVER, "replica identity FULL")
                : Finding.missing(SERVER, "replica identity FULL", "the publication's row filter on updates reads sent_to_kafka, "
                        + "which only a FULL replica identity logs", "ALTER TABLE " + qualified() + " REPLICA IDENTITY FULL;");
    }

    private Finding rights(Connection c) throws SQLException {
        boolean select = exists(c, "SELECT 1 WHERE has_table_privilege(?, 'SELECT')", qualified());
        boolean update = exists(c, "SELECT 1 WHERE has_column_privilege(?, 'sent_to_kafka', 'UPDATE')", qualified());
        if (select && update) {
            return Finding.ok(SERVER, role + " may read the table and set sent_to_kafka");
        }
        return Finding.missing(SERVER, role + " may read the table and set sent_to_kafka",
                (select ? "" : "no SELECT") + (select || update ? "" : ", ") + (update ? "" : "no UPDATE of sent_to_kafka"),
                PostgresSetup.grants(role, schema, table));
    }

    private Finding publication(Connection c) throws SQLException {
        String what = "publication " + publication + " (inserts and updates, filter sent_to_kafka IS NOT TRUE)";
        if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
            return Finding.missing(SERVER, what, "it does not exist", PostgresSetup.publication(publication, schema, table));
        }
        boolean right = exists(c, "SELECT 1 FROM pg_publication p JOIN pg_publication_tables t ON t.pubname = p.pubname "
                + "WHERE p.pubname = ? AND p.pubinsert AND p.pubupdate AND NOT p.pubdelete AND t.schemaname = ? AND t.tablename = ? "
                + "AND t.rowfilter = '(sent_to_kafka IS NOT TRUE)'", publication, schema, table);
        return right ? Finding.ok(SERVER, what)
                : Finding.missing(SERVER, what, "it exists with another table, operations or row filter",
                        "ALTER PUBLICATION " + publication + " SET TABLE " + qualified() + " WHERE (sent_to_kafka IS NOT TRUE);\n"
                                + "ALTER PUBLICATION " + publication + " SET (publish = 'insert, update');");
    }

    private Finding slots(Connection c) throws SQLException {
        if (exists(c, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", slot)) {
            return Finding.ok(SERVER, "replication slot " + slot + " (exists: capture resumes from it)");
        }
        boolean free = exists(c, "SELECT 1 WHERE current_setting('max_replication_slots')::int > (SELECT count(*) FROM pg_replication_slots)");
        return free ? Finding.ok(SERVER, "a free replication slot for " + slot + " (capture creates it)")
                : Finding.missing(SERVER, "a free replication slot for " + slot, "max_replication_slots are all taken",
                        "ALTER SYSTEM SET max_replication_slots = <more>;  -- then restart PostgreSQL; or drop an abandoned slot");
    }

    private String qualified() {
        return schema + "." + table;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
