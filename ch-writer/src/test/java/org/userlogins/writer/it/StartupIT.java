package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * What the writer does at start when something is wrong: a configuration error (bad setting, wrong
 * credentials) stops it with exit code 2 and one line; an unreachable ClickHouse is an outage and
 * is waited for.
 */
class StartupIT {
    private final String group = ItSupport.unique("chw_group");
    private final String db = ItSupport.unique("pipeline_it_chw");

    @Test
    void shouldExitWithCode2NamingTheVariableWhenASettingIsInvalid() throws Exception {
        Map<String, String> env = ItSupport.writerEnv("t", "d", group, db, ItSupport.CH_URL);
        env.put("WRITER_BATCH_ROWS", "lots");
        try (ServiceProcess writer = WriterProcess.start("badconfig-" + group, env)) {
            assertThat(writer.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(writer.output()).contains("error: WRITER_BATCH_ROWS=lots is not a whole number");
        }
    }

    @Test
    void shouldExitWithCode2WhenClickHouseRejectsTheCredentials() throws Exception {
        Map<String, String> env = ItSupport.writerEnv("t", "d", group, db, ItSupport.CH_URL);
        env.put("CLICKHOUSE_USER", "no_such_user");
        env.put("CLICKHOUSE_PASSWORD", "wrong");
        try (ServiceProcess writer = WriterProcess.start("badauth-" + group, env)) {
            assertThat(writer.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(writer.output()).contains("error: ClickHouse at " + ItSupport.CH_URL + " rejected user no_such_user")
                    .doesNotContain("wrong");
        }
    }

    @Test
    void shouldExitWithCode2WhenTheUserMayNotWriteTheDatabase() throws Exception {
        // The stack's writer user may write only databases named pipeline*; this one is outside its grants.
        Map<String, String> env = ItSupport.writerEnv("t", "d", group, "outside_" + db, ItSupport.CH_URL);
        try (ServiceProcess writer = WriterProcess.start("nogrant-" + group, env)) {
            assertThat(writer.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(writer.output()).contains("error: ClickHouse user " + ItSupport.CH_USER + " may not create or write outside_" + db
                    + ".user_logins").contains("ACCESS_DENIED");
        }
    }

    @Test
    void shouldKeepWaitingForAnUnreachableClickHouseAndStopOnSigterm() throws Exception {
        int nothingListens;
        try (ServerSocket s = new ServerSocket(0)) {
            nothingListens = s.getLocalPort();
        }
        Map<String, String> env = ItSupport.writerEnv("t", "d", group, db, "http://127.0.0.1:" + nothingListens);
        try (ServiceProcess writer = WriterProcess.start("unreachable-" + group, env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.output().contains("not ready (attempt 3)"));
            assertThat(writer.isAlive()).isTrue();
            assertThat(writer.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }
}
