package org.userlogins.ops.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.check.Reconcile;
import org.userlogins.ops.check.Reconciliation;
import org.userlogins.ops.check.Rejection;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.DlqReasons;
import org.userlogins.ops.probe.PostgresProbe;
import org.userlogins.ops.status.PipelineStatus;
import org.userlogins.ops.status.Snapshot;
import org.userlogins.ops.status.Verdict;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;

/**
 * `check` and `status` against the real servers, on data of their own: a PostgreSQL database, a
 * ClickHouse database and topics named after this run, dropped at the end. No service runs: the
 * test writes what capture, the processor and the writer would have left behind.
 *
 * <pre>
 *   ids 1-100      flagged, in the events topic, stored in ClickHouse
 *   id 101         flagged, in the events topic, rejected by the processor (DLQ record keyed "101", no dlq.stage)
 *   id 102         flagged, rejected by capture (DLQ only: null key, JSON summary value, dlq.stage cdc-capture)
 *   ids 103-105    inserted already flagged: nowhere in Kafka nor ClickHouse
 *   id 106         flagged, in the events topic, and nowhere else: lost
 *   200001-200010  flagged, in the events topic, stored: a second bucket, equal on both sides
 *   ids 107, 108   unsent: sent_to_kafka NULL and FALSE
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckAndStatusIT {
    private final String name = "ops_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Map<String, String> env = new HashMap<>(System.getenv());
    private OpsSettings settings;

    @BeforeAll
    void createOwnDatabasesAndTopics() throws Exception {
        env.put("PGDATABASE", name);
        env.put("CLICKHOUSE_DATABASE", name);
        env.put("KAFKA_TOPIC_EVENTS", name + "_events");
        env.put("KAFKA_TOPIC_CLEAN", name + "_clean");
        env.put("KAFKA_TOPIC_DLQ", name + "_dlq");
        env.put("CAPTURE_SLOT", name); // never created: capture cannot see the unsent rows
        env.put("CAPTURE_PUBLICATION", name + "_pub");
        env.put("PROCESSOR_APPLICATION_ID", name + "-processor");
        env.put("WRITER_GROUP_ID", name + "-writer");
        env.put("CAPTURE_OPS_PORT", "0"); // no services: their health is not asked
        env.put("PROCESSOR_OPS_PORT", "0");
        env.put("WRITER_OPS_PORT", "0");
        env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        // The admin may create and drop the test's ClickHouse database; the writer's user may not.
        settings = OpsSettings.asClickHouseAdmin(env);

        try (Connection admin = adminConnection(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        pg("CREATE TABLE user_logins (id SERIAL PRIMARY KEY, username TEXT, event_type TEXT, event_time TIMESTAMP,"
                + " sent_to_kafka BOOLEAN DEFAULT FALSE)");
        pg("ALTER TABLE user_logins REPLICA IDENTITY FULL");
        pg("CREATE PUBLICATION " + name + "_pub FOR TABLE user_logins WHERE (sent_to_kafka IS NOT TRUE) WITH (publish = 'insert, update')");
        pg("INSERT INTO user_logins (id, username, event_type, event_time, sent_to_kafka) SELECT g, 'alice', 'login', now(), TRUE"
                + " FROM generate_series(1, 106) g");
        pg("INSERT INTO user_logins (id, username, event_type, event_time, sent_to_kafka) SELECT g, 'bob', 'login', now(), TRUE"
                + " FROM generate_series(200001, 200010) g");

        try (ClickHouseProbe ch = new ClickHouseProbe(settings)) {
            ch.query("CREATE DATABASE `" + name + "`");
            ch.query("CREATE TABLE `" + name + "`.user_logins (id UInt64, ingested_at DateTime64(3, 'UTC') DEFAULT now64(3))"
                    + " ENGINE = ReplacingMergeTree ORDER BY id");
            ch.query("INSERT INTO `" + name + "`.user_logins (id) SELECT number FROM numbers(1, 100)");
            ch.query("INSERT INTO `" + name + "`.user_logins (id) SELECT number FROM numbers(200001, 10)");
            ch.query("INSERT INTO `" + name + "`.user_logins (id) SELECT number FROM numbers(1, 3)"); // a re-send: raw > FINAL
        }
    }

    @AfterAll
    void dropThem() throws Exception {
        try (Connection admin = adminConnection(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        try (ClickHouseProbe ch = new ClickHouseProbe(settings)) {
            ch.query("DROP DATABASE IF EXISTS `" + name + "`");
        }
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(settings.eventsTopic(), settings.cleanTopic(), settings.dlqTopic())).all().get();
        } catch (Exception e) {
            // not created (the first test failed early) or already gone
        }
    }

    @Test
    @Order(1)
    void shouldCompareOnlyBucketsAndReadNoTopicWhenEveryBucketAgrees() throws Exception {
        // Before the topics exist and while PostgreSQL flags exactly what ClickHouse holds.
        pg("UPDATE user_logins SET sent_to_kafka = FALSE WHERE id BETWEEN 101 AND 106");
        try {
            Reconciliation result = Reconcile.compute(settings);

            assertThat(result.passed()).as(result.describe()).isTrue();
            assertThat(result.summary()).isEqualTo("flagged 110 = stored 110 + rejected 0 + never published 0 + missing 0");
            assertThat(result.clickHouseRaw()).isEqualTo(113);
        } finally {
            pg("UPDATE user_logins SET sent_to_kafka = TRUE WHERE id BETWEEN 101 AND 106");
        }
        // A bucket differs now: the events topic is needed, and a missing one is an error, not "never published".
        assertThatThrownBy(() -> Reconcile.compute(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic " + settings.eventsTopic() + " does not exist");
    }

    @Test
    @Order(2)
    void shouldAccountForStoredRejectedAndNeverPublishedIdsAndFailOnTheOneLost() throws Exception {
        createTopics();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Long> published = new ArrayList<>();
            for (long id = 1; id <= 101; id++) {
                published.add(id);
            }
            published.add(106L);
            for (long id = 200_001; id <= 200_010; id++) {
                published.add(id);
            }
            for (long id : published) {
                producer.send(new ProducerRecord<>(settings.eventsTopic(), key(id), ("{\"id\":" + id + "}").getBytes(UTF_8)));
            }
            // The processor's reject of 101: the original key and value, no dlq.stage.
            RecordHeaders processor = headers("event_time_out_of_range", null);
            producer.send(new ProducerRecord<byte[], byte[]>(settings.dlqTopic(), (Integer) null, key(101), "{\"id\":101,\"event_time\":-1}".getBytes(UTF_8), processor));
            // Capture's reject of 102: never in the events topic; here with no key, so that its id comes from the value.
            RecordHeaders capture = headers("too_large", "cdc-capture");
            producer.send(new ProducerRecord<byte[], byte[]>(settings.dlqTopic(), (Integer) null, (byte[]) null, "{\"id\":102,\"bytes\":2000000}".getBytes(UTF_8), capture));
            // A hostile record someone produced: no id anywhere, it names no row.
            producer.send(new ProducerRecord<byte[], byte[]>(settings.dlqTopic(), (Integer) null, "\u0000garbage".getBytes(UTF_8), "not json".getBytes(UTF_8),
                    headers("not_json", null)));
            producer.flush();
        }

        Reconciliation result = Reconcile.compute(settings);

        assertThat(result.summary()).as(result.describe())
                .isEqualTo("flagged 116 = stored 110 + rejected 2 (event_time_out_of_range 1, too_large 1) + never published 3 + missing 1");
        assertThat(result.rejected()).containsExactly(entry(101L, new Rejection("event_time_out_of_range", "stream-processor")),
                entry(102L, new Rejection("too_large", "cdc-capture")));
        assertThat(result.neverPublished()).containsExactly(103L, 104L, 105L);
        assertThat(result.missing()).containsExactly(106L);
        assertThat(result.extra()).isEmpty();
        assertThat(result.passed()).isFalse();
        assertThat(run()).as("./pipeline check's exit code").isEqualTo(1);
        assertThat(lastOutput).contains("missing         1  first: 106").contains("check FAILED");
    }

    @Test
    @Order(3)
    void shouldPassWithoutTheLostRowAndFailOnAnExtraOne() throws Exception {
        pg("DELETE FROM user_logins WHERE id = 106");

        Reconciliation result = Reconcile.compute(settings);

        assertThat(result.summary()).isEqualTo("flagged 115 = stored 110 + rejected 2 (event_time_out_of_range 1, too_large 1) + never published 3 + missing 0");
        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(run()).isZero();
        assertThat(lastOutput).contains("never published 3  first: 103-105").contains("check passed");

        try (ClickHouseProbe ch = new ClickHouseProbe(settings)) {
            ch.query("INSERT INTO `" + name + "`.user_logins (id) VALUES (150)");
        }
        Reconciliation extra = Reconcile.compute(settings);
        assertThat(extra.extra()).containsExactly(150L);
        assertThat(extra.passed()).isFalse();
    }

    @Test
    @Order(4)
    void shouldCountANullFlagAsBacklogAndSayCaptureCannotSeeItWithoutItsSlot() throws Exception {
        pg("INSERT INTO user_logins (id, username, event_type, event_time, sent_to_kafka) VALUES"
                + " (107, 'carol', 'login', now(), NULL), (108, 'dave', 'login', now(), FALSE)");

        try (PostgresProbe pg = new PostgresProbe(settings)) {
            assertThat(pg.backlog()).isEqualTo(2);
            assertThat(pg.sentCount()).isEqualTo(115);
            PostgresProbe.Backlog backlog = pg.backlogWithAge();
            assertThat(backlog.rows()).isEqualTo(2);
            if (pg.single("SELECT (current_setting('track_commit_timestamp') = 'on')::int") == 1) {
                assertThat(backlog.oldestAgeSeconds()).isBetween(0L, 600L);
            } else {
                assertThat(backlog.ageUnknown()).isEqualTo("age unknown (track_commit_timestamp off)");
            }
            PostgresProbe.Publication pub = pg.publication(settings.capturePublication());
            assertThat(pub.updates()).isTrue();
            assertThat(pub.rowFilter()).isEqualTo("(sent_to_kafka IS NOT TRUE)");
        }
        assertThat(Reconcile.compute(settings).postgresSent()).as("unsent rows are not flagged").isEqualTo(115);

        Snapshot before = PipelineStatus.read(settings);
        Snapshot after = PipelineStatus.read(settings);

        assertThat(after.problems()).isEmpty();
        assertThat(after.backlog().rows()).isEqualTo(2);
        assertThat(after.slot().exists()).isFalse();
        assertThat(Verdict.of(before, after)).isEqualTo("stalled: 2 unsent rows capture cannot see: slot " + name
                + " does not exist (capture creates it at start and snapshots the unsent rows)");
        DlqReasons.Counts dlq = DlqReasons.read(settings, Duration.ofSeconds(90)); // a budget for a busy machine, not status's
        assertThat(dlq.complete()).as("the DLQ read to its end").isTrue();
        assertThat(dlq.byReason()).containsOnly(entry("event_time_out_of_range", 1L), entry("too_large", 1L), entry("not_json", 1L));
        assertThat(dlq.captureByReason()).containsOnly(entry("too_large", 1L));
        assertThat(dlq.describe()).contains("from cdc-capture (rows flagged, not published): too_large 1");
    }

    private String lastOutput = "";

    /** Reconcile.run as ./pipeline check calls it; its report in {@link #lastOutput}. */
    private int run() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, UTF_8));
        try {
            return Reconcile.run(settings, new String[0]);
        } finally {
            System.setOut(stdout);
            lastOutput = captured.toString(UTF_8);
            System.out.print(lastOutput);
        }
    }

    private void createTopics() throws Exception {
        try (Admin admin = admin()) {
            TopicSetup.create(admin, TopicSpec.pipeline(settings.eventsTopic(), settings.cleanTopic(), settings.dlqTopic()));
        }
    }

    private Admin admin() {
        Map<String, Object> config = new HashMap<>(settings.kafkaClient().properties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka());
        return Admin.create(config);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(settings.kafkaClient().properties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static RecordHeaders headers(String reason, String stage) {
        RecordHeaders h = new RecordHeaders();
        h.add("dlq.reason", reason.getBytes(UTF_8));
        h.add("dlq.detail", "written by CheckAndStatusIT".getBytes(UTF_8));
        if (stage != null) {
            h.add("dlq.stage", stage.getBytes(UTF_8));
        }
        h.add("dlq.time", Long.toString(System.currentTimeMillis()).getBytes(UTF_8));
        return h;
    }

    private static byte[] key(long id) {
        return Long.toString(id).getBytes(UTF_8);
    }

    private void pg(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties()); Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    /** The configured database (not the test's own), as the superuser of ./pipeline env: to create and drop the test's. */
    private Connection adminConnection() throws Exception {
        OpsSettings home = OpsSettings.fromEnv(new Env(System.getenv()));
        return DriverManager.getConnection(home.jdbcUrl(), home.jdbcProperties());
    }
}
