package org.userlogins.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

    @Test
    void shouldDecodeAnInsertThroughPgoutputOnThePublicationButNotTheFlagUpdate() throws SQLException {
        String marker = "stack-it-" + UUID.randomUUID();
        String slot = "stack_it_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection capture = capture(); Connection admin = admin()) {
            // A temporary slot goes away with this session: no WAL is retained after the test.
            exec(capture, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput', true)");
            long id;
            try (PreparedStatement insert = admin.prepareStatement(
                    // sent_to_kafka = TRUE: a capture service running on this stack must not publish it.
                    "INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) VALUES (?, 'login', now(), TRUE) RETURNING id")) {
                insert.setString(1, marker);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            exec(admin, "UPDATE user_logins SET sent_to_kafka = TRUE WHERE id = " + id);
            exec(admin, "DELETE FROM user_logins WHERE id = " + id);

            List<byte[]> messages = new ArrayList<>();
            try (ResultSet rs = capture.createStatement().executeQuery("SELECT data FROM pg_logical_slot_get_binary_changes('" + slot
                    + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'user_logins_pub')")) {
                while (rs.next()) {
                    messages.add(rs.getBytes(1));
                }
            }

            List<byte[]> inserts = messages.stream().filter(m -> m[0] == 'I').toList();
            assertThat(inserts).hasSize(1);
            assertThat(new String(inserts.get(0), StandardCharsets.UTF_8)).contains(marker);
            // publish = 'insert': the flag update and the delete are not published.
            assertThat(messages).noneMatch(m -> m[0] == 'U' || m[0] == 'D');
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
