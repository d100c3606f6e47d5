package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.Env;
import org.userlogins.writer.replay.OffsetReset;
import org.userlogins.writer.replay.ReplayPlan;
import org.userlogins.writer.replay.ReplayTarget;
import org.userlogins.writer.replay.ReplayTool;

/** Replay: stop the writer, reset the group, start it again; ClickHouse ends with the same rows. */
class ReplayIT extends WriterItBase {

    @Test
    void shouldReReadEverythingAfterAResetToEarliestAndKeepTheSameFinalCount() throws Exception {
        int n = 3_000;
        ItSupport.produce(topic, ItSupport.events(1, n), null);
        try (InProcessWriter writer = new InProcessWriter(env)) {
            awaitAllCommitted();
            assertThat(ReplayTool.run(new String[] {"--to-earliest"}, new Env(env)))
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
