package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * The writer dies like kill -9 at a stage of a batch (test hook WRITER_TEST_HALT_AT): after the
 * ranges are recorded but before the insert, or after the insert but before the commit. The writer
 * that takes over forms its batches with other boundaries (another WRITER_BATCH_ROWS), yet re-forms
 * the recorded ranges exactly: no id is missing and the raw count, without FINAL, is the number of
 * ids sent.
 */
class CrashRecoveryIT extends WriterItBase {
    private static final int N = 4_000;

    @ParameterizedTest
    @ValueSource(strings = {"RANGES_RECORDED", "STORED"})
    void shouldStoreEachRowOnceWithoutFinalWhenKilledAtAStage(String stage) throws Exception {
        Map<String, String> env = crashOnce(stage);
        assertThat(ItSupport.count(ch, db, "user_logins", false)).as("inserted before the crash")
                .isEqualTo(stage.equals("STORED") ? N : 0);

        env.put("WRITER_BATCH_ROWS", "700"); // other boundaries than the crashed batch
        String log;
        try (ServiceProcess restarted = WriterProcess.start("restart-" + stage + "-" + group, env)) {
            await().atMost(Duration.ofSeconds(60)).until(this::allCommitted);
            assertThat(restarted.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM (128+15, after the graceful stop)").isEqualTo(143);
            log = restarted.output();
        }
        assertExactlyOnceWithoutFinal("killed at " + stage);
        assertThat(log).contains("re-forming the batch recorded in flight").contains("stop requested").contains("closed");
    }

    @Test
    void shouldStoreEachRowOnceWithoutFinalWhenTwoWritersTakeOverTheCrashedBatch() throws Exception {
        Map<String, String> env = crashOnce("STORED");

        env.put("WRITER_BATCH_ROWS", "500");
        String logs;
        try (ServiceProcess first = WriterProcess.start("takeover-a-" + group, env);
             ServiceProcess second = WriterProcess.start("takeover-b-" + group, env)) {
            await().atMost(Duration.ofSeconds(90)).until(this::allCommitted);
            logs = first.output() + second.output();
            first.terminate(Duration.ofSeconds(30));
            second.terminate(Duration.ofSeconds(30));
        }
        assertExactlyOnceWithoutFinal("partitions moved to two writers");
        // A range is re-formed at least once; again if its partition moved on before its insert.
        assertThat(logs.split("re-forming the batch recorded in flight", -1).length - 1).isGreaterThanOrEqualTo(3);
    }

    /**
     * A partition moves mid-batch between two live members: writers A (batches of 300 rows) and B
     * (one batch for everything it gets) share the partitions; B stores its batch and dies before
     * its commit. A, busy with its own partitions, takes B's over and re-forms B's recorded ranges,
     * not 300-row batches of its own, so ClickHouse drops them: the raw count is the number of ids.
     */
    @Test
    void shouldStoreEachRowOnceWithoutFinalWhenALiveWriterTakesOverAPartitionMidBatch() throws Exception {
        Map<String, String> envA = new HashMap<>(env);
        envA.put("WRITER_BATCH_ROWS", "300");
        Map<String, String> envB = new HashMap<>(env);
        envB.put("WRITER_BATCH_ROWS", Integer.toString(N));
        envB.put("WRITER_BATCH_MAX_WAIT", "PT3S");
        envB.put("WRITER_TEST_HALT_AT", "STORED");
        String log;
        try (ServiceProcess a = WriterProcess.start("live-a-" + group, envA);
             ServiceProcess b = WriterProcess.start("live-b-" + group, envB)) {
            // Both members hold partitions before any record exists.
            await().atMost(Duration.ofSeconds(60)).until(() -> assignedSome(a.output()) && assignedSome(b.output()));
            stopMerges();
            ItSupport.produce(topic, ItSupport.events(1, N), null);
            assertThat(b.awaitExit(Duration.ofSeconds(60))).as("B halted after storing its batch, before the commit").isEqualTo(137);
            await().atMost(Duration.ofSeconds(90)).until(this::allCommitted);
            log = a.output();
            a.terminate(Duration.ofSeconds(30));
        }
        assertExactlyOnceWithoutFinal("a live writer took over a partition mid-batch");
        assertThat(log).contains("re-forming the batch recorded in flight");
    }

    /**
     * Background merges of ReplacingMergeTree collapse copies of an id, which would hide a
     * duplicate insert from the raw count: with merges stopped, raw counts every stored copy.
     */
    private void stopMerges() throws Exception {
        ItSupport.exec(ch, "SYSTEM STOP MERGES `" + db + "`.user_logins");
    }

    private static boolean assignedSome(String log) {
        return log.lines().anyMatch(l -> l.contains("assigned partitions [") && !l.contains("assigned partitions []"));
    }

    /** One writer whose whole backlog is one batch (3 partitions), halted at {@code stage}; returns its environment. */
    private Map<String, String> crashOnce(String stage) throws Exception {
        ItSupport.produce(topic, ItSupport.events(1, N), null);
        Map<String, String> env = ItSupport.writerEnv(topic, dlq, group, db, ItSupport.CH_URL);
        env.put("WRITER_BATCH_ROWS", Integer.toString(N));
        // The wait only ends the batch if the backlog is not all fetched by then: far beyond any fetch.
        env.put("WRITER_BATCH_MAX_WAIT", "PT2M");
        env.put("WRITER_TEST_HALT_AT", stage);
        try (ServiceProcess crashing = WriterProcess.start("crash-" + stage + "-" + group, env)) {
            assertThat(crashing.awaitExit(Duration.ofSeconds(180))).as("halted by the test hook").isEqualTo(137);
        }
        stopMerges();
        Map<TopicPartition, OffsetAndMetadata> marks = ItSupport.committedWithMetadata(group);
        assertThat(marks).as("every partition's range recorded, no offset moved").hasSize(3)
                .allSatisfy((tp, om) -> assertThat(om.metadata()).startsWith("inserting-until="));
        env.remove("WRITER_TEST_HALT_AT");
        env.put("WRITER_BATCH_MAX_WAIT", "PT0.5S"); // the writers after the crash flush as usual
        return env;
    }

    private void assertExactlyOnceWithoutFinal(String what) {
        long raw = ItSupport.count(ch, db, "user_logins", false);
        long fin = ItSupport.count(ch, db, "user_logins", true);
        long missing = ItSupport.query(ch, "SELECT " + N + " - uniqExact(id) AS m FROM `" + db + "`.user_logins WHERE id BETWEEN 1 AND " + N)
                .get(0).getLong("m");
        System.out.printf("[CrashRecoveryIT] %s: sent %d, raw %d, FINAL %d, missing ids %d%n", what, N, raw, fin, missing);
        assertThat(missing).isZero();
        assertThat(raw).as("raw count without FINAL: the re-formed ranges were dropped by their tokens").isEqualTo(N);
        assertThat(fin).isEqualTo(N);
    }
}
