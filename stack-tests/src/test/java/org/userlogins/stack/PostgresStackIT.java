package org.userlogins.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** PostgreSQL decodes logical changes through pgoutput for the least-privilege capture role. */
class PostgresStackIT {
    private final StackSettings stack = StackSettings.fromEnv();

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.get("PGUSER", "postgres"), stack.get("PGPASSWORD", ""));
    }

    private Connection capture() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.get("CAPTURE_PGUSER", "cdc_capture"), stack.get("CAPTURE_PGPASSWORD", ""));
    }

    @Test
    void shouldRunWithLogicalWalLevel() throws SQLException {
        try (Connection db = admin()) {
            assertThat(single(db, "SHOW wal_level")).isEqualTo("logical");
            assertThat(single(db, "SHOW server_version_num")).startsWith("15");
        }
    }

    @Test
    void shouldGiveTheCaptureRoleReplicationButNotSuperuser() throws SQLException {
        try (Connection db = capture()) {
            assertThat(single(db, "SELECT rolsuper::text || ',' || rolreplication::text FROM pg_roles WHERE rolname = current_user"))
                    .isEqualTo("false,true");
            assertThat(single(db, "SELECT has_table_privilege('public.user_logins', 'SELECT')::text")).isEqualTo("true");
            assertThat(single(db, "SELECT has_table_privilege('public.user_logins', 'INSERT')::text")).isEqualTo("false");
            assertThat(single(db, "SELECT has_column_privilege('public.user_logins', 'sent_to_kafka', 'UPDATE')::text")).isEqualTo("true");
            assertThat(single(db, "SELECT has_column_privilege('public.user_logins', 'username', 'UPDATE')::text")).isEqualTo("false");
        }
    }

    /**
     * The publication's row filter (sent_to_kafka IS NOT TRUE) is the flag contract in logical decoding:
     * a row inserted TRUE is nothing; a row that becomes unsent (inserted FALSE, or set back to FALSE)
     * is an insert; its flag set TRUE is a delete; a delete of a sent row is nothing. Every row here
     * ends TRUE in its own transaction, so a capture running on this stack claims none of them.
     */
    @Test
    void shouldDecodeOnlyChangesThatLeaveARowUnsentThroughThePublicationsRowFilter() throws SQLException {
        String marker = "stack-it-" + UUID.randomUUID();
        String slot = "stack_it_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection capture = capture(); Connection admin = admin()) {
            // A temporary slot goes away with this session: no WAL is retained after the test.
            exec(capture, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput', true)");
            long sent = insertReturningId(admin, marker + "-sent", "TRUE");
            admin.setAutoCommit(false);
            long unsent = insertReturningId(admin, marker + "-unsent", "FALSE");
            exec(admin, "UPDATE user_logins SET sent_to_kafka = TRUE WHERE id = " + unsent);
            admin.commit();
            exec(admin, "UPDATE user_logins SET sent_to_kafka = FALSE WHERE id = " + sent); // a re-send asked for
            exec(admin, "UPDATE user_logins SET sent_to_kafka = TRUE WHERE id = " + sent);
            admin.commit();
            admin.setAutoCommit(true);
            exec(admin, "DELETE FROM user_logins WHERE id IN (" + sent + ", " + unsent + ")");

            List<byte[]> messages = new ArrayList<>();
            try (ResultSet rs = capture.createStatement().executeQuery("SELECT data FROM pg_logical_slot_get_binary_changes('" + slot
                    + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'user_logins_pub')")) {
                while (rs.next()) {
                    messages.add(rs.getBytes(1));
                }
            }

            assertThat(messages.stream().filter(m -> m[0] == 'I' || m[0] == 'U' || m[0] == 'D')
                    .map(m -> (char) m[0] + ":" + (new String(m, StandardCharsets.UTF_8).contains(marker + "-unsent") ? "unsent" : "sent")))
                    .as("the row inserted FALSE: insert, then its flag write as a delete; the row inserted TRUE: nothing, "
                            + "then its reset as an insert and its flag write as a delete; the deletes of sent rows: nothing")
                    .containsExactly("I:unsent", "D:unsent", "I:sent", "D:sent");
        }
    }

    private static long insertReturningId(Connection db, String username, String flag) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) VALUES ('" + username + "', 'login', now(), "
                        + flag + ") RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String single(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static void exec(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }
}
