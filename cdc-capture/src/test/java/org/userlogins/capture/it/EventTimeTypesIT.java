package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.userlogins.capture.engine.EngineState;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

/**
 * event_time of every timestamp type lands as the Unix seconds PostgreSQL itself computes for the
 * row ({@code floor(extract(epoch FROM event_time))}), whether the column had its type at start
 * (snapshot) or got it by ALTER TABLE while capture ran, written from a session in a non-UTC zone.
 * A type capture cannot convert is a DLQ record with a reason, not a dead capture.
 */
class EventTimeTypesIT {
    /** Wall clocks written as text in the session's zone: sub-second digits, before 1970, a New York DST gap and overlap. */
    private static final List<String> TIMES = List.of("2025-06-01 12:00:00.123456", "2025-06-01 12:00:00.999", "1969-12-31 23:59:59.5",
            "2024-03-10 02:30:00", "2024-11-03 01:30:00.25", "2000-01-01 00:00:00");
    private static final String SEED_TYPE = "timestamp"; // the seed's column, restored afterwards: other tests share the table

    @Test
    void shouldConvertEveryTimestampPrecisionAndZoneByItsSchemaFromSnapshotAndAfterAlterTable() throws Exception {
        Map<Long, Long> expected = new LinkedHashMap<>();
        try (CaptureTestStack stack = new CaptureTestStack()) {
            try {
                alterEventTime("timestamp(3)");
                expected.putAll(insertFromNewYork("timestamp(3) snapshot")); // read by the first-start snapshot
                try (InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
                    stack.awaitAllFlagged(Duration.ofSeconds(60));
                    for (String type : List.of("timestamp(0)", "timestamp(6)", "timestamptz(0)", "timestamptz(3)", "timestamptz(6)", "timestamp(3)")) {
                        alterEventTime(type);
                        expected.putAll(insertFromNewYork(type));
                        stack.awaitAllFlagged(Duration.ofSeconds(60));
                    }
                }
            } finally {
                alterEventTime(SEED_TYPE);
            }

            Map<Long, Long> captured = new HashMap<>(); // null times: no Collectors.toMap
            stack.readAll().forEach(r -> captured.put(Long.parseLong(CaptureTestStack.key(r)), UserEventJson.read(r.value()).eventTime()));
            assertThat(captured).as("event_time per id: capture vs PostgreSQL's floor(extract(epoch))").isEqualTo(expected);
            assertThat(expected).hasSize(7 * (TIMES.size() + 1));
        }
    }

    @Test
    void shouldSendRowsOfAColumnTypeItCannotConvertToTheDlqAndGoOn() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack();
             InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
            try {
                CaptureTestStack.sql("INSERT INTO user_logins (username, event_time) VALUES ('before', '2025-06-01 12:00:00')");
                stack.awaitAllFlagged(Duration.ofSeconds(60));
                CaptureTestStack.sql("ALTER TABLE user_logins ALTER COLUMN event_time TYPE text USING event_time::text");
                CaptureTestStack.sql("INSERT INTO user_logins (username, event_time) VALUES ('as-text', '2025-06-01 12:00:01')");
                stack.awaitAllFlagged(Duration.ofSeconds(60));
                CaptureTestStack.sql("ALTER TABLE user_logins ALTER COLUMN event_time TYPE timestamp USING event_time::timestamp");
                CaptureTestStack.sql("INSERT INTO user_logins (username, event_time) VALUES ('after', '2025-06-01 12:00:02')");
                stack.awaitAllFlagged(Duration.ofSeconds(60));
            } finally {
                alterEventTime(SEED_TYPE);
            }

            assertThat(capture.service.state().phase()).isEqualTo(EngineState.Phase.RUNNING);
            assertThat(stack.readAll()).extracting(r -> UserEventJson.read(r.value())).extracting(UserEvent::username, UserEvent::eventTime)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("before", 1_748_779_200L),
                            org.assertj.core.groups.Tuple.tuple("after", 1_748_779_202L));
            List<ConsumerRecord<byte[], byte[]>> dead = stack.readAll(stack.dlqTopic);
            assertThat(dead).singleElement().satisfies(r -> {
                assertThat(CaptureTestStack.key(r)).isEqualTo("2");
                assertThat(header(r, "dlq.reason")).isEqualTo("unsupported_type");
                assertThat(header(r, "dlq.stage")).isEqualTo("cdc-capture");
                assertThat(header(r, "dlq.detail")).contains("row id 2", "event_time");
            });
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void alterEventTime(String type) throws Exception {
        // USING: from text (the DLQ test) or between timestamp kinds, in the session's zone (UTC here).
        CaptureTestStack.sql("ALTER TABLE user_logins ALTER COLUMN event_time TYPE " + type + " USING event_time::text::" + type);
    }

    /** Inserts TIMES from a session whose TimeZone is America/New_York; returns id -> PostgreSQL's floor(epoch) of what it stored. */
    private static Map<Long, Long> insertFromNewYork(String label) throws Exception {
        Map<Long, Long> epochs = new LinkedHashMap<>();
        try (Connection db = CaptureTestStack.superuser(); Statement st = db.createStatement()) {
            st.execute("SET TimeZone = 'America/New_York'");
            for (String time : TIMES) {
                try (ResultSet rs = st.executeQuery("INSERT INTO user_logins (username, event_type, event_time) VALUES ('" + label
                        + "', 'login', '" + time + "') RETURNING id, floor(extract(epoch FROM event_time))::bigint")) {
                    rs.next();
                    epochs.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        // Plus a NULL time, which stays null.
        try (Connection db = CaptureTestStack.superuser(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("INSERT INTO user_logins (username) VALUES ('" + label + " null') RETURNING id")) {
            rs.next();
            epochs.put(rs.getLong(1), null);
        }
        return epochs;
    }
}
