package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.events.RangeMark;
import org.userlogins.ops.replay.OffsetReset;
import org.userlogins.ops.replay.ReplayPlan;
import org.userlogins.ops.replay.ReplayTarget;
import org.userlogins.ops.replay.ReplayTool;

/** Replay: stop the writer, reset the group, start it again; ClickHouse ends with the same rows. */
class ReplayIT extends WriterItBase {

    @Test
    void shouldReReadEverythingAfterAResetToEarliestAndKeepTheSameFinalCount() throws Exception {
        int n = 3_000;
        ItSupport.produce(topic, ItSupport.events(1, n), null);
        try (InProcessWriter writer = new InProcessWriter(env)) {
            awaitAllCommitted();
            assertThat(ReplayTool.run(new String[] {"--to-earliest"}, OpsSettings.fromEnv(new Env(env))))
                    .as("refused while the writer is a member of the group").isEqualTo(3);
        }

        ReplayPlan plan = reset(ReplayTarget.parse(new String[] {"--to-earliest"}, Instant.now()));
        assertThat(plan.recordsToReRead()).isEqualTo(n);
        assertThat(ItSupport.committed(group).values()).containsOnly(0L);

        try (InProcessWriter writer = new InProcessWriter(env)) {
            awaitAllCommitted();
        }
        long fin = ItSupport.count(ch, db, "user_logins", true);
        long raw = ItSupport.count(ch, db, "user_logins", false);
        System.out.printf("[ReplayIT] earliest: re-read %d, FINAL %d, raw %d (re-inserted batches deduplicated by token or by FINAL)%n",
                plan.recordsToReRead(), fin, raw);
        assertThat(fin).isEqualTo(n);
        assertThat(raw).isBetween((long) n, 2L * n);
    }

    @Test
    void shouldReReadOnlyRecordsAfterTheTimeWhenResetToATime() throws Exception {
        Instant now = Instant.now();
        ItSupport.produce(topic, ItSupport.events(1, 1_000), now.minus(Duration.ofHours(2)).toEpochMilli());
        ItSupport.produce(topic, ItSupport.events(5_001, 500), now.toEpochMilli());
        try (InProcessWriter writer = new InProcessWriter(env)) {
            awaitAllCommitted();
        }
        long rawBefore = ItSupport.count(ch, db, "user_logins", false);

        ReplayPlan plan = reset(ReplayTarget.parse(new String[] {"--by-duration", "PT1H"}, now));
        assertThat(plan.recordsToReRead()).isEqualTo(500);

        try (InProcessWriter writer = new InProcessWriter(env)) {
            awaitAllCommitted();
        }
        long olderRaw = ItSupport.query(ch, "SELECT count() AS c FROM `" + db + "`.user_logins WHERE id < 5001").get(0).getLong("c");
        System.out.printf("[ReplayIT] by time: re-read %d, raw before %d, after %d, FINAL %d%n", plan.recordsToReRead(),
                rawBefore, ItSupport.count(ch, db, "user_logins", false), ItSupport.count(ch, db, "user_logins", true));
        assertThat(olderRaw).as("records before the time are not read again").isEqualTo(1_000);
        assertThat(ItSupport.count(ch, db, "user_logins", true)).isEqualTo(1_500);
    }

    /**
     * Issue 15, item 3 in miniature: the writer stopped while records kept coming, then a time T, then
     * more. A reset to T must not move the lagging group forward past records it never stored: p0
     * lags plainly, p1 lags with a batch recorded in flight (its owner recorded the range, then
     * crashed before the insert), p2 has no committed offset. Every record is then stored, p0 and p1
     * exactly once by raw count.
     */
    @Test
    void shouldKeepTheCommittedOffsetsOfALaggingGroupAndStoreEveryRecordNotYetStored() throws Exception {
        Instant now = Instant.now();
        int perStep = 600;
        ItSupport.produce(topic, ItSupport.events(1, perStep), now.minus(Duration.ofHours(3)).toEpochMilli());
        try (InProcessWriter writer = new InProcessWriter(env)) {
            awaitAllCommitted();
        }
        ItSupport.exec(ch, "SYSTEM STOP MERGES `" + db + "`.user_logins"); // raw count sees every stored copy
        Map<TopicPartition, Long> stored = ItSupport.endOffsets(topic);
        // Not stored: the writer is stopped.
        ItSupport.produce(topic, ItSupport.events(10_001, perStep), now.minus(Duration.ofHours(2)).toEpochMilli());
        Instant t = now.minus(Duration.ofHours(1));
        ItSupport.produce(topic, ItSupport.events(20_001, perStep), now.toEpochMilli());
        Map<TopicPartition, Long> end = ItSupport.endOffsets(topic);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);
        long p1RangeEnd = stored.get(p1) + 50;
        try (Admin admin = ItSupport.admin()) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets(group, Map.of(p1, new OffsetAndMetadata(stored.get(p1), RangeMark.metadata(p1RangeEnd))))
                        .all().get();
                admin.deleteConsumerGroupOffsets(group, Set.of(p2)).all().get();
                return true;
            });
        }
        Map<TopicPartition, OffsetAndMetadata> before = ItSupport.committedWithMetadata(group);
        assertThat(before).doesNotContainKey(p2);

        // --by-duration takes the same rule (dry run: nothing written).
        ReplayPlan dry = reset(ReplayTarget.parse(new String[] {"--by-duration", "PT1H", "--dry-run"}, now));
        assertThat(dry.target()).containsEntry(0, stored.get(p0)).containsEntry(1, stored.get(p1)).containsEntry(2, 0L);
        assertThat(ItSupport.committedWithMetadata(group)).isEqualTo(before);

        String report = replayTool("--to-datetime", t.toString());
        System.out.printf("[ReplayIT] lagging group, --to-datetime %s:%n%s", t, report);
        long notYetStored = (end.get(p0) - stored.get(p0)) + (end.get(p1) - stored.get(p1)) + end.get(p2);
        assertThat(report)
                .contains(String.format("partition 0: %d -> %d (0 to re-read, %d not yet stored): kept its committed offset, the target ",
                        stored.get(p0), stored.get(p0), end.get(p0) - stored.get(p0)))
                .contains(String.format("partition 1: %d -> %d (0 to re-read, %d not yet stored): kept its committed offset",
                        stored.get(p1), stored.get(p1), end.get(p1) - stored.get(p1)))
                .contains(String.format("the batch recorded in flight at %d..%d is re-formed first", stored.get(p1), p1RangeEnd - 1))
                .contains(String.format("partition 2: none -> 0 (0 to re-read, %d not yet stored): no committed offset", end.get(p2)))
                .contains(String.format("0 records will be re-read; %d records not yet stored are read as well", notYetStored))
                .contains("partitions [0, 1] kept their committed offset");
        Map<TopicPartition, OffsetAndMetadata> after = ItSupport.committedWithMetadata(group);
        assertThat(after.get(p0)).as("p0 untouched").isEqualTo(before.get(p0));
        assertThat(after.get(p1)).as("p1 untouched, its recorded range with it").isEqualTo(before.get(p1));
        assertThat(after.get(p2).offset()).as("p2 set to its earliest offset").isZero();

        try (InProcessWriter writer = new InProcessWriter(env)) {
            awaitAllCommitted();
        }
        long missing = ItSupport.query(ch, "SELECT " + (3 * perStep) + " - uniqExact(id) AS m FROM `" + db + "`.user_logins")
                .get(0).getLong("m");
        long rawP01 = ItSupport.query(ch, "SELECT count() AS c FROM `" + db + "`.user_logins WHERE kafka_partition IN (0, 1)")
                .get(0).getLong("c");
        long rawP2 = ItSupport.query(ch, "SELECT count() AS c FROM `" + db + "`.user_logins WHERE kafka_partition = 2")
                .get(0).getLong("c");
        System.out.printf("[ReplayIT] lagging group: missing ids %d, raw p0+p1 %d (records %d), raw p2 %d (records %d, stored before %d)%n",
                missing, rawP01, end.get(p0) + end.get(p1), rawP2, end.get(p2), stored.get(p2));
        assertThat(missing).as("every record not yet stored was read after the reset").isZero();
        assertThat(rawP01).as("p0 and p1 exactly once: nothing skipped, nothing re-read").isEqualTo(end.get(p0) + end.get(p1));
        assertThat(rawP2).as("p2 read from its start: its first records may be stored a second time")
                .isBetween(end.get(p2), end.get(p2) + stored.get(p2));
        assertThat(ItSupport.count(ch, db, "user_logins", true)).isEqualTo(3L * perStep);
    }

    /** ./pipeline replay's entry point; its report. */
    private String replayTool(String... args) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            int rc;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                rc = ReplayTool.run(args, OpsSettings.fromEnv(new Env(env)));
            } finally {
                System.setOut(stdout);
            }
            return rc == 0 ? out.toString(StandardCharsets.UTF_8) : null; // 3 while the last writer leaves the group
        }, Objects::nonNull);
    }

    private ReplayPlan reset(ReplayTarget target) throws Exception {
        try (Admin admin = ItSupport.admin()) {
            // The group's member may need a moment to leave after close().
            return await().atMost(Duration.ofSeconds(30)).ignoreException(IllegalStateException.class)
                    .until(() -> new OffsetReset(admin).reset(group, topic, target), p -> true);
        }
    }

    private void awaitAllCommitted() {
        await().atMost(Duration.ofSeconds(60)).until(this::allCommitted);
    }
}
