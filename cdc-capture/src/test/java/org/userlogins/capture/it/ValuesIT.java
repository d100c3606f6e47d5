package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

/** Column values travel into the JSON exactly: nulls, unicode, escapes, long text, timestamps at the edges. */
class ValuesIT {
    private static final String LONG_TEXT = "x".repeat(10_240);

    /** username, event_type, event_time (wall clock, null allowed) and the JSON fields capture must write. */
    private record Row(String username, String eventType, String eventTime, String json) {
        Long expectedSeconds() {
            String seconds = json.substring(json.lastIndexOf(':') + 1);
            return "null".equals(seconds) ? null : Long.valueOf(seconds);
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row(null, null, null, "\"username\":null,\"event_type\":null,\"event_time\":null"),
            new Row("Zoë 日本 😀", "логин", "2024-11-23T22:13:20", "\"username\":\"Zoë 日本 😀\",\"event_type\":\"логин\",\"event_time\":1732400000"),
            new Row("quote\" back\\slash 'single'", "tab\tnewline\n", "2024-11-23T22:13:20.999999",
                    "\"username\":\"quote\\\" back\\\\slash 'single'\",\"event_type\":\"tab\\tnewline\\n\",\"event_time\":1732400000"),
            new Row(LONG_TEXT, "login", "1970-01-01T00:00:00.000001", "\"username\":\"" + LONG_TEXT + "\",\"event_type\":\"login\",\"event_time\":0"),
            new Row("before-epoch", "login", "1969-12-31T23:59:59.5", "\"username\":\"before-epoch\",\"event_type\":\"login\",\"event_time\":-1"),
            new Row("old", "login", "1900-01-01T00:00:00", "\"username\":\"old\",\"event_type\":\"login\",\"event_time\":-2208988800"),
            new Row("after-2106", "login", "2106-02-07T06:28:16", "\"username\":\"after-2106\",\"event_type\":\"login\",\"event_time\":4294967296"),
            new Row("far", "login", "9999-12-31T23:59:59.999999", "\"username\":\"far\",\"event_type\":\"login\",\"event_time\":253402300799"));

    @Test
    void shouldWriteEachValueIntoTheJsonExactlyFromSnapshotAndFromStreaming() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            insertAll(); // ids 1..n: read by the snapshot
            try (InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
                stack.awaitAllFlagged(Duration.ofSeconds(60));
                insertAll(); // ids n+1..2n: read from the WAL
                stack.awaitAllFlagged(Duration.ofSeconds(60));
            }

            Map<Long, String> jsonById = stack.readAll().stream().collect(Collectors.toMap(
                    r -> Long.parseLong(CaptureTestStack.key(r)), r -> new String(r.value(), StandardCharsets.UTF_8)));
            assertThat(jsonById).hasSize(2 * ROWS.size());
            for (int i = 0; i < 2 * ROWS.size(); i++) {
                long id = i + 1;
                Row row = ROWS.get(i % ROWS.size());
                UserEvent event = UserEventJson.read(jsonById.get(id).getBytes(StandardCharsets.UTF_8));
                assertThat(event).extracting(UserEvent::username, UserEvent::eventType, UserEvent::eventTime)
                        .containsExactly(row.username(), row.eventType(), row.expectedSeconds());
                // Lineage follows the values; a snapshot read is no change in the WAL: source_lsn 0.
                String lineage = id <= ROWS.size() ? ",\"source_lsn\":0," : ",\"source_lsn\":";
                assertThat(jsonById.get(id)).startsWith("{\"id\":" + id + "," + row.json() + lineage);
            }
        }
    }

    @Test
    void shouldSendARowTooLargeForKafkaToTheDlqAndGoOnWithTheNextRows() throws Exception {
        String huge = "y".repeat(1_500_000); // a TEXT value: PostgreSQL takes it, the broker would not
        try (CaptureTestStack stack = new CaptureTestStack();
             InProcessCapture capture = new InProcessCapture(stack.captureEnv())) {
            CaptureTestStack.sql("INSERT INTO user_logins (username, event_type) VALUES ('before', 'login'), ('" + huge
                    + "', 'login'), ('after', 'login')");
            stack.awaitAllFlagged(Duration.ofSeconds(60));

            assertThat(stack.readAll()).extracting(CaptureTestStack::key).containsExactlyInAnyOrder("1", "3");
            var dead = stack.readAll(stack.dlqTopic);
            assertThat(dead).singleElement().satisfies(r -> {
                assertThat(CaptureTestStack.key(r)).isEqualTo("2");
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).startsWith("{\"id\":2,\"bytes\":150").contains("\"username_chars\":1500000");
                assertThat(new String(r.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)).isEqualTo("too_large");
                assertThat(new String(r.headers().lastHeader("dlq.stage").value(), StandardCharsets.UTF_8)).isEqualTo("cdc-capture");
            });
        }
    }

    private static void insertAll() throws Exception {
        List<Row> rows = new ArrayList<>(ROWS);
        try (Connection db = CaptureTestStack.superuser();
             PreparedStatement insert = db.prepareStatement("INSERT INTO user_logins (username, event_type, event_time) VALUES (?, ?, ?)")) {
            for (Row row : rows) {
                insert.setString(1, row.username());
                insert.setString(2, row.eventType());
                insert.setTimestamp(3, row.eventTime() == null ? null : Timestamp.valueOf(LocalDateTime.parse(row.eventTime())));
                insert.executeUpdate();
            }
        }
    }
}
