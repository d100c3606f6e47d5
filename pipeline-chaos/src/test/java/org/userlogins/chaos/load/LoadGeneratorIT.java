package org.userlogins.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;

/**
 * Against the real PostgreSQL (PG* variables): the load's count stays exact while its sessions are
 * killed. Run it on a database no capture reads (./pipeline test uses pipeline_test): its rows are
 * deleted afterwards.
 */
class LoadGeneratorIT {
    private final OpsSettings settings = OpsSettings.fromEnv(Env.system());
    private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @Test
    void shouldCountExactlyTheCommittedRowsWhenItsSessionsAreTerminatedMidTransaction() throws Exception {
        try (Connection admin = DriverManager.getConnection(settings.jdbcUrl(), settings.pgUser(), settings.pgPassword())) {
            LoadGenerator load = new LoadGenerator(settings.jdbcUrl(), settings.pgUser(), settings.pgPassword(), prefix, 3000, 7);
            load.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(150)).until(() -> {
                    terminateLoadSessions(admin);
                    return load.failedAttempts() >= 5;
                });
            } finally {
                load.close();
            }

            assertThat(load.failure()).isNull();
            assertThat(load.committedRows()).isPositive();
            assertThat(rowsWithPrefix(admin)).isEqualTo(load.committedRows());
            try (PreparedStatement st = admin.prepareStatement("DELETE FROM user_logins WHERE left(username, ?) = ?")) {
                st.setInt(1, prefix.length());
                st.setString(2, prefix);
                st.executeUpdate();
            }
        }
    }

    private static void terminateLoadSessions(Connection admin) throws Exception {
        try (PreparedStatement st = admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND state <> 'idle'")) {
            st.setString(1, LoadGenerator.APPLICATION_NAME);
            st.executeQuery().close();
        }
    }

    private long rowsWithPrefix(Connection admin) throws Exception {
        try (PreparedStatement st = admin.prepareStatement("SELECT count(*) FROM user_logins WHERE left(username, ?) = ?")) {
            st.setInt(1, prefix.length());
            st.setString(2, prefix);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
