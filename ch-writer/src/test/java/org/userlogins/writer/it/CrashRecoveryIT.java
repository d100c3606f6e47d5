package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.Client;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer dies like kill -9 between ClickHouse accepting a batch and the offset commit (test hook
 * WRITER_TEST_HALT_AFTER_INSERT). After a restart no id is missing, and the re-inserted batch is
 * dropped by ClickHouse thanks to the deterministic dedup token: raw count == FINAL count.
 */
class CrashRecoveryIT {
    private static final int N = 4_000;
    private final String topic = ItSupport.unique("chw_clean");
    private final String dlq = ItSupport.unique("chw_dlq");
    private final String group = ItSupport.unique("chw_group");
    private final String db = ItSupport.unique("chw_db");
    private final Client ch = ItSupport.clickHouse(ItSupport.CH_URL);

    @BeforeEach
    void setUp() throws Exception {
        ItSupport.createTopics(topic, dlq);
    }

    @AfterEach
    void tearDown() {
        ItSupport.deleteTopics(topic, dlq);
        ItSupport.dropDatabase(ch, db);
        ch.close();
    }

    @Test
    void shouldLoseNothingAndStoreNothingTwiceWhenKilledBetweenInsertAndCommit() throws Exception {
        ItSupport.produce(topic, ItSupport.events(1, N), null);
        Map<String, String> env = ItSupport.writerEnv(topic, dlq, group, db, ItSupport.CH_URL);
        // The whole backlog is one batch, so the restarted writer re-forms exactly the same batch.
        env.put("WRITER_BATCH_ROWS", Integer.toString(N));
        // The wait only ends the batch if the backlog is not all fetched by then: far beyond any fetch.
        env.put("WRITER_BATCH_MAX_WAIT", "PT2M");
        env.put("WRITER_TEST_HALT_AFTER_INSERT", "true");

        try (WriterProcess crashing = new WriterProcess("crash-" + group, env)) {
            assertThat(crashing.waitFor(180)).as("halted by the test hook").isEqualTo(137);
        }
        assertThat(ItSupport.count(ch, db, "user_logins", false)).as("inserted before the crash").isEqualTo(N);
        assertThat(ItSupport.committed(group).values()).as("nothing committed").allMatch(o -> o == null);

        env.remove("WRITER_TEST_HALT_AFTER_INSERT");
        try (WriterProcess restarted = new WriterProcess("restart-" + group, env)) {
            await().atMost(Duration.ofSeconds(60)).until(this::allCommitted);
            assertThat(restarted.terminate(30)).as("exit code after SIGTERM (128+15, after the graceful stop)").isEqualTo(143);
            assertThat(restarted.log()).contains("stop requested").contains("closed");
        }

        long raw = ItSupport.count(ch, db, "user_logins", false);
        long fin = ItSupport.count(ch, db, "user_logins", true);
        long missing = ItSupport.query(ch, "SELECT " + N + " - uniqExact(id) AS m FROM `" + db + "`.user_logins WHERE id BETWEEN 1 AND " + N)
                .get(0).getLong("m");
        System.out.printf("[CrashRecoveryIT] sent %d, FINAL %d, raw %d, missing ids %d%n", N, fin, raw, missing);
        assertThat(missing).isZero();
        assertThat(fin).isEqualTo(N);
        assertThat(raw).as("the re-sent batch was deduplicated by its token").isEqualTo(fin);
    }

    private boolean allCommitted() throws Exception {
        Map<TopicPartition, Long> end = ItSupport.endOffsets(topic);
        Map<TopicPartition, Long> committed = ItSupport.committed(group);
        return end.entrySet().stream().allMatch(e -> e.getValue().equals(committed.get(e.getKey())));
    }
}
