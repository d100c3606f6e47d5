package org.userlogins.capture.it;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;

/**
 * The real local stack as the integration tests use it: a unique slot, offsets topic and events
 * topic per test, the shared table reset as the superuser, everything dropped afterwards.
 */
final class CaptureTestStack implements AutoCloseable {
    final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String slot = "capture_it_" + suffix;
    final String offsetsTopic = "capture_it_offsets_" + suffix;
    final String eventsTopic = "capture_it_events_" + suffix;
    final String dlqTopic = "capture_it_dlq_" + suffix;

    static String env(String key, String defaultValue) {
        String value = System.getenv(key);
        return value == null ? defaultValue : value;
    }

    static String bootstrap() {
        return env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    }

    /** The service's environment for this test: the stack's settings plus this test's own names. */
    Map<String, String> captureEnv() {
        Map<String, String> e = new HashMap<>();
        for (String key : List.of("PGHOST", "PGPORT", "PGDATABASE", "CAPTURE_PGUSER", "CAPTURE_PGPASSWORD", "KAFKA_BOOTSTRAP_SERVERS")) {
            String value = System.getenv(key);
            if (value != null) {
                e.put(key, value);
            }
        }
        e.put("CAPTURE_SLOT", slot);
        e.put("CAPTURE_OFFSETS_TOPIC", offsetsTopic);
        e.put("KAFKA_TOPIC_EVENTS", eventsTopic);
        e.put("KAFKA_TOPIC_DLQ", dlqTopic);
        e.put("CAPTURE_OPS_PORT", "0");
        e.put("CAPTURE_HEARTBEAT_INTERVAL", "1000");
        return e;
    }

    CaptureTestStack() throws Exception {
        try (Admin admin = admin()) {
            TopicSetup.create(admin, List.of(TopicSpec.events(eventsTopic), TopicSpec.dlq(dlqTopic).withPartitions(1)));
        }
        sql("TRUNCATE public.user_logins RESTART IDENTITY");
    }

    static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap()));
    }

    static Connection superuser() throws SQLException {
        String url = "jdbc:postgresql://" + env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432") + "/" + env("PGDATABASE", "pipeline");
        return DriverManager.getConnection(url, env("PGUSER", "postgres"), env("PGPASSWORD", ""));
    }

    static void sql(String statement) throws SQLException {
        try (Connection db = superuser(); Statement st = db.createStatement()) {
            st.execute(statement);
        }
    }

    static long count(String query) throws SQLException {
        try (Connection db = superuser(); Statement st = db.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long unsentRows() throws SQLException {
        return count("SELECT count(*) FROM public.user_logins WHERE sent_to_kafka IS NOT TRUE");
    }

    void awaitAllFlagged(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> unsentRows() == 0);
    }

    /** Every record of the events topic, read up to its end offsets (complete once all rows are flagged). */
    List<ConsumerRecord<byte[], byte[]>> readAll() {
        return readAll(eventsTopic);
    }

    /** Every record of one of this test's topics, read up to its end offsets. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
            return records;
        }
    }

    /** How many records one of this test's topics holds (capture's producer is not transactional: no markers). */
    static long recordCount(String topic) throws Exception {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
        }
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.US_ASCII);
    }

    /** Drops the slot (waiting until its walsender let go) and this test's topics. */
    @Override
    public void close() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND active") == 0);
        sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            admin.deleteTopics(existing.stream().filter(t -> t.equals(eventsTopic) || t.equals(dlqTopic) || t.equals(offsetsTopic)).toList()).all().get();
        }
    }
}
