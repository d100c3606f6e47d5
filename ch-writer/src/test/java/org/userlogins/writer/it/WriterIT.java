package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.query.GenericRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.userlogins.events.UserEvent;
import org.userlogins.writer.WriterApp;
import org.userlogins.writer.config.WriterSettings;
import org.userlogins.writer.table.ClickHouseTable.IncompatibleTableException;

/** The writer in-process against the shared Kafka and ClickHouse; own topics, group and database per test. */
class WriterIT extends WriterItBase {

    @Test
    void shouldStoreEachOfNRecordsOnceWhenNRecordsAreSent() throws Exception {
        int n = 20_000;
        env.put("WRITER_BATCH_ROWS", "5000");
        ItSupport.produce(topic, ItSupport.events(1, n), null);

        try (InProcessWriter writer = new InProcessWriter(env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> tableExists() && ItSupport.count(ch, db, "user_logins", true) == n);
        }

        long raw = ItSupport.count(ch, db, "user_logins", false);
        long distinct = ItSupport.query(ch, "SELECT uniqExact(id) AS u, min(id) AS lo, max(id) AS hi FROM `" + db + "`.user_logins").get(0).getLong("u");
        System.out.printf("[WriterIT] sent %d, FINAL count %d, raw count %d, distinct ids %d%n", n,
                ItSupport.count(ch, db, "user_logins", true), raw, distinct);
        assertThat(raw).isEqualTo(n);
        assertThat(distinct).isEqualTo(n);
    }

    @Test
    void shouldCreateTheDatabaseAndTableWhenMissing() throws Exception {
        try (InProcessWriter writer = new InProcessWriter(env)) {
            await().atMost(Duration.ofSeconds(30)).until(this::tableExists);
        }

        GenericRecord t = ItSupport.query(ch, "SELECT engine, sorting_key, create_table_query FROM system.tables WHERE database = '"
                + db + "' AND name = 'user_logins'").get(0);
        assertThat(t.getString("engine")).isEqualTo("ReplacingMergeTree");
        assertThat(t.getString("sorting_key")).isEqualTo("id");
        assertThat(t.getString("create_table_query")).contains("non_replicated_deduplication_window = 1000");
    }

    @Test
    void shouldRefuseAnExistingTableOfAnotherShapeNamingTheMismatch() throws Exception {
        ItSupport.exec(ch, "CREATE DATABASE `" + db + "`");
        ItSupport.exec(ch, "CREATE TABLE `" + db + "`.user_logins (id UInt64, username String, event_time DateTime) "
                + "ENGINE = MergeTree ORDER BY event_time");

        try (WriterApp app = new WriterApp(WriterSettings.fromEnv(env))) {
            assertThatThrownBy(app::run).isInstanceOf(IncompatibleTableException.class)
                    .hasMessageContaining("column username is String, expected Nullable(String)")
                    .hasMessageContaining("column kafka_offset is missing")
                    .hasMessageContaining("engine is MergeTree")
                    .hasMessageContaining("sorting key is (event_time)");
        }
    }

    @Test
    void shouldStoreEveryValueKindTheProcessorAcceptsExactly() throws Exception {
        String tenKb = "ä".repeat(2_000) + "x".repeat(6_240);
        List<UserEvent> sent = List.of(
                new UserEvent(1, null, null, null, null, null, null),
                new UserEvent(2, "Ünïcödé 用户 🚀👩‍💻", "login", 1_732_400_000L, 1L, 1_732_400_000_123L, 1_732_400_000_150L),
                new UserEvent(3, "O'Brien \"quoted\" \\back\\slash\\ \\n", "tab\there\nnewline\r\u0000nul", 1L, null, null, null),
                new UserEvent(4, tenKb, "x".repeat(10_240), 2L, null, null, null),
                new UserEvent(5, "", " ", 0L, 0L, 0L, 0L),
                new UserEvent(6, "max-time", "logout", 4_294_967_295L, Long.MAX_VALUE, 10_413_791_999_999L, -2_208_988_800_000L),
                new UserEvent(Long.MAX_VALUE, "largest id", "registration", 1_732_400_000L, null, null, null));
        ItSupport.produce(topic, sent, null);

        try (InProcessWriter writer = new InProcessWriter(env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> tableExists() && ItSupport.count(ch, db, "user_logins", true) == sent.size());
        }

        List<UserEvent> stored = new ArrayList<>();
        for (GenericRecord r : ItSupport.query(ch, "SELECT toString(id) AS id, username, event_type, "
                + "toUnixTimestamp(event_time) AS et, toString(source_lsn) AS lsn, toUnixTimestamp64Milli(committed_at) AS c, "
                + "toUnixTimestamp64Milli(captured_at) AS cap FROM `" + db + "`.user_logins FINAL ORDER BY id")) {
            stored.add(new UserEvent(Long.parseLong(r.getString("id")), nullable(r, "username"), nullable(r, "event_type"),
                    longOrNull(r, "et"), r.getObject("lsn") == null ? null : Long.parseLong(r.getString("lsn")),
                    longOrNull(r, "c"), longOrNull(r, "cap")));
        }
        assertThat(stored).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldSendRowsClickHouseRejectsAndUnreadableRecordsToTheDlq() throws Exception {
        byte[] large = new byte[1_048_450];
        new Random(11).nextBytes(large);
        try (InProcessWriter writer = new InProcessWriter(env)) {
            await().atMost(Duration.ofSeconds(30)).until(this::tableExists);
            // A content rule only the server knows: stands for any row ClickHouse refuses.
            ItSupport.exec(ch, "ALTER TABLE `" + db + "`.user_logins ADD CONSTRAINT no_reject CHECK ifNull(username, '') != 'reject-me'");
            List<UserEvent> events = new ArrayList<>(ItSupport.events(1, 9));
            events.add(UserEvent.of(100, "reject-me", "login", 1L));
            ItSupport.produce(topic, events, null);
            ItSupport.produceRaw(topic, Map.of("101", "{\"id\":\"not a number\"}".getBytes(StandardCharsets.UTF_8)), null);
            // Near the clean topic's 1 MiB limit: the DLQ copy, with its headers on top, is larger still.
            ItSupport.produceRaw(topic, Map.of("102", large), null);

            await().atMost(Duration.ofSeconds(30)).until(() -> ItSupport.count(ch, db, "user_logins", true) == 9
                    && allCommitted());
        }

        List<String> reasons = new ArrayList<>();
        Properties p = new Properties();
        p.put("bootstrap.servers", ItSupport.BOOTSTRAP);
        p.put("group.id", group + "_dlq_reader");
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(dlq));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    reasons.add(new String(r.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8) + ":"
                            + new String(r.key(), StandardCharsets.UTF_8));
                    assertThat(r.headers().lastHeader("dlq.source.topic").value()).asString().isEqualTo(topic);
                    if (new String(r.key(), StandardCharsets.UTF_8).equals("102")) {
                        assertThat(r.value()).as("the large record whole").isEqualTo(large);
                    }
                }
                return reasons.size() >= 3;
            });
        }
        assertThat(reasons).containsExactlyInAnyOrder("clickhouse_rejected:100", "malformed_json:101", "malformed_json:102");
    }

    @Test
    void shouldCollapseAReSentEventOntoItsFirstCopy() throws Exception {
        try (InProcessWriter writer = new InProcessWriter(env)) {
            ItSupport.produce(topic, List.of(UserEvent.of(1, "first copy", "login", 1L)), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> tableExists() && ItSupport.count(ch, db, "user_logins", false) == 1);
            ItSupport.produce(topic, List.of(UserEvent.of(1, "second copy", "login", 1L)), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> ItSupport.count(ch, db, "user_logins", false) == 2);
        }

        assertThat(ItSupport.query(ch, "SELECT username FROM `" + db + "`.user_logins FINAL").get(0).getString("username"))
                .isEqualTo("first copy");
    }

    /**
     * Each event is stored before the next is sent, so none waits for a batch to fill: the flush
     * on time is what this proves, whatever the machine's speed. The latency is printed for the
     * record; the bench measures it against its targets.
     */
    @Test
    void shouldStoreATrickleOfEventsOneByOneWithoutWaitingForAFullBatch() throws Exception {
        try (InProcessWriter writer = new InProcessWriter(env)) {
            await().atMost(Duration.ofSeconds(30)).until(this::tableExists);
            for (long id = 1; id <= 10; id++) {
                long now = System.currentTimeMillis();
                ItSupport.produce(topic, List.of(new UserEvent(id, "u", "login", now / 1000, null, now, now)), null);
                long expected = id;
                await().atMost(Duration.ofSeconds(60)).until(() -> ItSupport.count(ch, db, "user_logins", false) == expected);
            }
        }

        GenericRecord latency = ItSupport.query(ch, "SELECT quantileExact(0.5)(d) AS p50, max(d) AS mx FROM (SELECT "
                + "dateDiff('millisecond', committed_at, ingested_at) AS d FROM `" + db + "`.user_logins)").get(0);
        System.out.printf("[WriterIT] commit_ts -> ingested_at for single events (a producer per event, Kafka, writer): p50 %d ms, max %d ms%n",
                latency.getLong("p50"), latency.getLong("mx"));
    }

    private boolean tableExists() {
        return !ItSupport.query(ch, "SELECT 1 FROM system.tables WHERE database = '" + db + "' AND name = 'user_logins'").isEmpty();
    }

    private static String nullable(GenericRecord r, String column) {
        return r.getObject(column) == null ? null : r.getString(column);
    }

    private static Long longOrNull(GenericRecord r, String column) {
        Object v = r.getObject(column);
        return v == null ? null : ((Number) v).longValue();
    }
}
