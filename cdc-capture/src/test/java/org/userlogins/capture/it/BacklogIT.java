package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.slot.SlotTool;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.kit.Env;

class BacklogIT {
    private static final int ROWS = 4000;

    @Test
    void shouldPublishAndFlagExactlyTheUnsentBacklogOnFirstStart() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            // Given a backlog of unsent rows mixed with rows already sent (every 8th)
            CaptureTestStack.sql("INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) "
                    + "SELECT 'user' || g, CASE WHEN g % 8 = 0 THEN 'sent' ELSE 'login' END, "
                    + "timestamp '2024-01-01' + g * interval '1 second', g % 8 = 0 FROM generate_series(1, " + ROWS + ") g");
            long sent = CaptureTestStack.count("SELECT count(*) FROM user_logins WHERE sent_to_kafka");
            assertThat(sent).isEqualTo(ROWS / 8);

            // When capture starts for the first time
            try (InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
                stack.awaitAllFlagged(Duration.ofSeconds(90));
            }

            // Then exactly the unsent rows are in Kafka, once each, and every row is flagged
            var records = stack.readAll();
            assertThat(records).hasSize((int) (ROWS - sent));
            Map<String, UserEvent> byKey = records.stream()
                    .collect(Collectors.toMap(CaptureTestStack::key, r -> UserEventJson.read(r.value())));
            assertThat(byKey).hasSize(records.size());
            assertThat(byKey.values()).allSatisfy(e -> {
                assertThat(e.eventType()).isEqualTo("login");
                assertThat(e.eventTime()).isEqualTo(1_704_067_200L + e.id());
                assertThat(e.sourceLsn()).as("a snapshot read is no change in the WAL: a re-snapshot is not a new change").isZero();
            });
            assertThat(CaptureTestStack.count("SELECT count(*) FROM user_logins WHERE sent_to_kafka")).isEqualTo(ROWS);
        }
    }

    @Test
    void shouldResnapshotOnlyUnsentRowsAfterTheSlotWasDropped() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            // Given capture ran once and published a first backlog
            CaptureTestStack.sql("INSERT INTO user_logins (username) SELECT 'first' || g FROM generate_series(1, 100) g");
            Map<String, String> env = stack.captureEnv();
            // ./pipeline drop-slot logs in as the operator (PGUSER), with capture's slot name
            Map<String, String> opsEnv = new java.util.HashMap<>(System.getenv());
            opsEnv.putAll(env);
            OpsSettings ops = OpsSettings.fromEnv(new Env(opsEnv));
            try (InProcessCapture capture = new InProcessCapture(env)) {
                stack.awaitAllFlagged(Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(30)).until(() -> CaptureTestStack.count(
                        "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + stack.slot + "'") == 1);
                assertThat(SlotTool.drop(ops)).as("refuses to drop an active slot").isEqualTo(1);
            }
            // When the slot is dropped while capture is down, rows arrive meanwhile, and capture starts again.
            // PostgreSQL releases the slot a moment after the replication connection closes.
            await().atMost(Duration.ofSeconds(60)).until(() -> CaptureTestStack.count(
                    "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + stack.slot + "'") == 0);
            assertThat(SlotTool.drop(ops)).isZero();
            assertThat(CaptureTestStack.count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + stack.slot + "'")).isZero();
            CaptureTestStack.sql("INSERT INTO user_logins (username) SELECT 'second' || g FROM generate_series(1, 50) g");
            try (InProcessCapture capture = new InProcessCapture(env)) {
                stack.awaitAllFlagged(Duration.ofSeconds(60));
            }

            // Then the re-snapshot sent the new rows and none of the old ones again
            var records = stack.readAll();
            assertThat(records).hasSize(150);
            assertThat(records.stream().map(CaptureTestStack::key).distinct()).hasSize(150);
            assertThat(records.stream().map(ConsumerRecord::value).map(UserEventJson::read).filter(e -> e.username().startsWith("second")))
                    .hasSize(50);
        }
    }
}
