package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

/**
 * The seed's contract, as the flag's committed state: every row whose committed sent_to_kafka is
 * not TRUE (FALSE or NULL) is sent and then flagged TRUE; a row committed TRUE is not sent. Each
 * case is checked in PostgreSQL (flag TRUE) and in Kafka (how many records carry the id).
 */
class FlagContractIT {
    @Test
    void shouldSnapshotFalseAndNullRowsButNotTrueOnes() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            long unsent = insert("snap-false", "FALSE");
            long nullFlag = insert("snap-null", "NULL");
            long sent = insert("snap-true", "TRUE");
            try (InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
                stack.awaitAllFlagged(Duration.ofSeconds(60));
            }
            assertThat(recordsPerId(stack)).isEqualTo(Map.of(unsent, 1L, nullFlag, 1L));
            assertThat(flag(sent)).isTrue();
        }
    }

    @Test
    void shouldSendWhatIsNotCommittedTrueOnceAndARowSetBackToFalseAgain() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack();
             InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
            // Rows committed once the slot exists are streamed (with their change's LSN), not snapshotted.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> CaptureTestStack.count(
                    "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + stack.slot + "'") == 1);
            long unsent = insert("false", "FALSE");
            long nullFlag = insert("null", "NULL");
            long sent = insert("true", "TRUE");
            long trueThenFalse = inOneTransaction("true-then-false", "TRUE", "FALSE");
            long falseThenTrue = inOneTransaction("false-then-true", "FALSE", "TRUE");
            long falseThenNull = inOneTransaction("false-then-null", "FALSE", "NULL");
            awaitHandled(stack);
            Map<Long, Long> first = recordsPerId(stack);

            // An operator asks for a re-send the seed's way, and edits a sent row (which stays sent).
            CaptureTestStack.sql("UPDATE user_logins SET sent_to_kafka = FALSE WHERE id = " + unsent);
            CaptureTestStack.sql("UPDATE user_logins SET username = 'edited' WHERE id = " + nullFlag);
            awaitHandled(stack);
            Map<Long, Long> afterResend = recordsPerId(stack);

            assertThat(first).as("records per id before the re-send")
                    .isEqualTo(Map.of(unsent, 1L, nullFlag, 1L, trueThenFalse, 1L, falseThenNull, 1L));
            assertThat(afterResend).as("the row set back to FALSE went again; nothing else did")
                    .isEqualTo(Map.of(unsent, 2L, nullFlag, 1L, trueThenFalse, 1L, falseThenNull, 1L));
            assertThat(List.of(unsent, nullFlag, sent, trueThenFalse, falseThenTrue, falseThenNull)).allMatch(FlagContractIT::flag);
            List<UserEvent> copies = events(stack).stream().filter(e -> e.id() == unsent).toList();
            assertThat(copies.get(1).sourceLsn()).as("the re-send is a later change of the row: the processor lets it through")
                    .isGreaterThan(copies.get(0).sourceLsn());
        }
    }

    /** Inserts a row and waits for nothing; returns its id. */
    private static long insert(String username, String flag) throws Exception {
        try (Connection db = CaptureTestStack.superuser(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) VALUES ('"
                     + username + "', 'login', now(), " + flag + ") RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts a row with one flag and sets another in the same transaction. */
    private static long inOneTransaction(String username, String inserted, String setTo) throws Exception {
        try (Connection db = CaptureTestStack.superuser(); Statement st = db.createStatement()) {
            db.setAutoCommit(false);
            long id;
            try (ResultSet rs = st.executeQuery("INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) VALUES ('"
                    + username + "', 'login', now(), " + inserted + ") RETURNING id")) {
                rs.next();
                id = rs.getLong(1);
            }
            st.execute("UPDATE user_logins SET sent_to_kafka = " + setTo + " WHERE id = " + id);
            db.commit();
            return id;
        }
    }

    /**
     * Capture handles the WAL in commit order: once a barrier row inserted last is flagged and in
     * Kafka, every change before it has been decided. The barrier is deleted, and not counted.
     */
    private static void awaitHandled(CaptureTestStack stack) throws Exception {
        long barrier = insert("barrier", "FALSE");
        stack.awaitAllFlagged(Duration.ofSeconds(60));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.readAll().stream().anyMatch(r -> CaptureTestStack.key(r).equals(Long.toString(barrier))));
        CaptureTestStack.sql("DELETE FROM user_logins WHERE id = " + barrier);
    }

    private static List<UserEvent> events(CaptureTestStack stack) {
        return stack.readAll().stream().map(ConsumerRecord::value).map(UserEventJson::read).filter(e -> !"barrier".equals(e.username())).toList();
    }

    private static Map<Long, Long> recordsPerId(CaptureTestStack stack) {
        return events(stack).stream().collect(Collectors.groupingBy(UserEvent::id, Collectors.counting()));
    }

    private static boolean flag(long id) {
        try {
            return CaptureTestStack.count("SELECT count(*) FROM user_logins WHERE sent_to_kafka IS TRUE AND id = " + id) == 1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
