package org.userlogins.ops.preflight;

/**
 * The SQL an administrator runs for what {@link PostgresPreflight} finds missing: the statements of
 * postgres-init/01-schema.sql, with the names this deployment uses.
 */
final class PostgresSetup {
    private PostgresSetup() {
    }

    static String table(String schema, String table) {
        String t = schema + "." + table;
        return "CREATE TABLE IF NOT EXISTS " + t + " (\n"
                + "    id SERIAL PRIMARY KEY,\n"
                + "    username TEXT,\n"
                + "    event_type TEXT,\n"
                + "    event_time TIMESTAMP,\n"
                + "    sent_to_kafka BOOLEAN DEFAULT FALSE\n"
                + ");\n"
                + "ALTER TABLE " + t + " REPLICA IDENTITY FULL;";
    }

    static String publication(String publication, String schema, String table) {
        return "CREATE PUBLICATION " + publication + " FOR TABLE " + schema + "." + table
                + " WHERE (sent_to_kafka IS NOT TRUE) WITH (publish = 'insert, update');";
    }

    /** The table's grants follow once it exists (a grant on a missing table fails). */
    static String role(String role) {
        return "CREATE ROLE " + role + " LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '<CAPTURE_PGPASSWORD>';";
    }

    static String grants(String role, String schema, String table) {
        return "GRANT USAGE ON SCHEMA " + schema + " TO " + role + ";\n"
                + "GRANT SELECT ON " + schema + "." + table + " TO " + role + ";\n"
                + "GRANT UPDATE (sent_to_kafka) ON " + schema + "." + table + " TO " + role + ";";
    }
}
