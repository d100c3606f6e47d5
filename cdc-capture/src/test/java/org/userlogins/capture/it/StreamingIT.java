package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

class StreamingIT {
    private static final int LARGE = 5000;
    private static final int SMALL = 200;

    @Test
    void shouldPublishAndFlagStreamedInsertsInCommitOrderButNotRowsInsertedAsSent() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack();
             InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> CaptureTestStack.count(
                    "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + stack.slot + "'") == 1);

            // When one large and many small transactions commit, with a row inserted as already sent among them
            CaptureTestStack.sql("INSERT INTO user_logins (username, event_type, event_time) "
                    + "SELECT 'bulk' || g, 'login', now() FROM generate_series(1, " + LARGE + ") g");
            try (Connection db = CaptureTestStack.superuser();
                 PreparedStatement insert = db.prepareStatement("INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) "
                         + "VALUES (?, 'purchase', now(), ?)")) {
                for (int i = 1; i <= SMALL; i++) {
                    insert.setString(1, "small" + i);
                    insert.setBoolean(2, false);
                    insert.executeUpdate();
                    if (i == SMALL / 2) {
                        insert.setString(1, "preflagged");
                        insert.setBoolean(2, true);
                        insert.executeUpdate();
                    }
                }
            }
            stack.awaitAllFlagged(Duration.ofSeconds(60));
            // Updates and deletes are not events
            CaptureTestStack.sql("UPDATE user_logins SET username = 'renamed' WHERE id <= 10");
            CaptureTestStack.sql("DELETE FROM user_logins WHERE id BETWEEN 11 AND 20");
            CaptureTestStack.sql("INSERT INTO user_logins (username) VALUES ('last')");
            stack.awaitAllFlagged(Duration.ofSeconds(30));

            // Then every new row is published once, in commit order within each partition, and flagged
            List<ConsumerRecord<byte[], byte[]>> records = stack.readAll();
            assertThat(records).hasSize(LARGE + SMALL + 1);
            List<UserEvent> events = records.stream().map(r -> UserEventJson.read(r.value())).toList();
            assertThat(events).extracting(UserEvent::username).doesNotContain("preflagged", "renamed").contains("last");
            Map<Integer, List<Long>> idsByPartition = records.stream().collect(Collectors.groupingBy(ConsumerRecord::partition,
                    Collectors.mapping(r -> Long.parseLong(CaptureTestStack.key(r)), Collectors.toList())));
            idsByPartition.values().forEach(ids -> assertThat(ids).isSorted());
            assertThat(CaptureTestStack.count("SELECT count(*) FROM user_logins WHERE username = 'preflagged' AND sent_to_kafka")).isOne();
            assertThat(capture.service.state().health().up()).isTrue();
        }
    }

    @Test
    void shouldAdvanceTheSlotPastTheHiddenFlagUpdatesThroughHeartbeats() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack();
             InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
            CaptureTestStack.sql("INSERT INTO user_logins (username) SELECT 'u' || g FROM generate_series(1, 2000) g");
            stack.awaitAllFlagged(Duration.ofSeconds(60));
            String afterFlags = text("SELECT pg_current_wal_lsn()::text");

            // The flag UPDATEs are not published; only heartbeats let the slot confirm WAL beyond them
            await().atMost(Duration.ofSeconds(30)).until(() -> CaptureTestStack.count("SELECT count(*) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + stack.slot + "' AND confirmed_flush_lsn >= '" + afterFlags + "'::pg_lsn") == 1);
        }
    }

    private static String text(String query) throws Exception {
        try (Connection db = CaptureTestStack.superuser(); ResultSet rs = db.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
