package org.userlogins.writer.it;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;

/** Shared helpers for the integration tests: real Kafka and ClickHouse of the local stack. */
public final class ItSupport {
    public static final String BOOTSTRAP = env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    public static final String CH_URL = env("CLICKHOUSE_URL", "http://127.0.0.1:8123");
    /** The writer's least-privilege user: what the writer under test logs in as. */
    public static final String CH_USER = env("CLICKHOUSE_USER", "default");
    public static final String CH_PASSWORD = System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "");
    /** The tests' own user for checks and cleanup (DROP DATABASE), which the writer may not do. */
    public static final String CH_ADMIN_USER = env("CLICKHOUSE_ADMIN_USER", CH_USER);
    public static final String CH_ADMIN_PASSWORD = env("CLICKHOUSE_ADMIN_PASSWORD", CH_PASSWORD);
    public static final Path MODULE_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));

    private ItSupport() {
    }

    static String env(String key, String defaultValue) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    public static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
    }

    /** The clean and DLQ topics as in production. */
    public static void createTopics(String clean, String dlq) throws Exception {
        try (Admin admin = admin()) {
            TopicSetup.create(admin, List.of(TopicSpec.clean(clean), TopicSpec.dlq(dlq)));
        }
    }

    public static void deleteTopics(String... topics) {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topics)).all().get();
        } catch (Exception e) {
            // cleanup only
        }
    }

    public static void produce(String topic, List<UserEvent> events, Long timestampMs) throws Exception {
        produceRaw(topic, events.stream().collect(Collectors.toMap(
                e -> Long.toString(e.id()), UserEventJson::write, (a, b) -> b, java.util.LinkedHashMap::new)), timestampMs);
    }

    public static void produceRaw(String topic, Map<String, byte[]> valuesByKey, Long timestampMs) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : valuesByKey.entrySet()) {
                acks.add(producer.send(new ProducerRecord<>(topic, null, timestampMs, e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue())));
            }
            producer.flush();
            // A send the broker refused must stop the test here, not show up later as a "missing" row.
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    public static List<UserEvent> events(long fromId, int count) {
        long now = System.currentTimeMillis();
        return java.util.stream.LongStream.range(fromId, fromId + count)
                .mapToObj(id -> new UserEvent(id, "user" + id, id % 3 == 0 ? "purchase" : "login", 1_732_400_000L + id,
                        1_000_000L + id, now, now + 1))
                .toList();
    }

    public static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                spec.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(spec).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    /** The group's committed offsets alone (null for a partition it never committed). */
    public static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        committedWithMetadata(group).forEach((tp, om) -> out.put(tp, om == null ? null : om.offset()));
        return out;
    }

    public static Map<TopicPartition, OffsetAndMetadata> committedWithMetadata(String group) throws Exception {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }

    public static Client clickHouse(String url) {
        return new Client.Builder().addEndpoint(url).setUsername(CH_ADMIN_USER).setPassword(CH_ADMIN_PASSWORD).setMaxRetries(0).build();
    }

    public static long count(Client ch, String db, String table, boolean fin) {
        return query(ch, "SELECT count() AS c FROM `" + db + "`.`" + table + "`" + (fin ? " FINAL" : "")).get(0).getLong("c");
    }

    public static List<GenericRecord> query(Client ch, String sql) {
        return ch.queryAll(sql);
    }

    public static void exec(Client ch, String sql) throws Exception {
        ch.execute(sql).get().close();
    }

    public static void dropDatabase(Client ch, String db) {
        try {
            exec(ch, "DROP DATABASE IF EXISTS `" + db + "`");
        } catch (Exception e) {
            // cleanup only
        }
    }

    /** The writer's environment for one test: its own topics, group and database. */
    public static Map<String, String> writerEnv(String topic, String dlq, String group, String db, String chUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP);
        env.put("KAFKA_TOPIC_CLEAN", topic);
        env.put("KAFKA_TOPIC_DLQ", dlq);
        env.put("WRITER_GROUP_ID", group);
        env.put("CLICKHOUSE_URL", chUrl);
        env.put("CLICKHOUSE_USER", CH_USER);
        env.put("CLICKHOUSE_PASSWORD", CH_PASSWORD);
        env.put("CLICKHOUSE_DATABASE", db);
        env.put("WRITER_OPS_PORT", "0");
        env.put("WRITER_RETRY_INITIAL", "PT0.2S");
        env.put("WRITER_RETRY_MAX", "PT2S");
        // A killed writer's partitions move after 6 s instead of 45 s: keeps restart tests short.
        env.put("WRITER_SESSION_TIMEOUT", "PT6S");
        return env;
    }
}
