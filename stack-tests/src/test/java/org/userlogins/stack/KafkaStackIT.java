package org.userlogins.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker runs transactions (what exactly_once_v2 needs) and holds the pipeline's topics as configured. */
class KafkaStackIT {
    private final StackSettings stack = StackSettings.fromEnv();

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka()));
    }

    @Test
    void shouldShowOnlyCommittedTransactionsToReadCommittedConsumers() throws Exception {
        String topic = "stack-it-tx-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(topic))) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
                }
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k9", "aborted"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "end", "committed-end"));
                producer.commitTransaction();
            }

            assertThat(readAll(topic, "read_committed")).containsExactly("committed-0", "committed-1", "committed-2", "committed-end");
            assertThat(readAll(topic, "read_uncommitted")).contains("aborted");
        } finally {
            try (Admin admin = admin()) {
                admin.deleteTopics(List.of(topic)).all().get();
            }
        }
    }

    @Test
    void shouldHoldTheEventTopicsCompactedAndTheDlqWithRetention() throws ExecutionException, InterruptedException {
        String events = stack.get("KAFKA_TOPIC_EVENTS", "user_events");
        String clean = stack.get("KAFKA_TOPIC_CLEAN", "user_events_clean");
        String dlq = stack.get("KAFKA_TOPIC_DLQ", "user_events_dlq");
        try (Admin admin = admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(events, clean, dlq)).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(stack.partitions()));

            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, events),
                    new ConfigResource(ConfigResource.Type.TOPIC, clean),
                    new ConfigResource(ConfigResource.Type.TOPIC, dlq))).all().get();
            assertThat(cleanupPolicy(configs, events)).isEqualTo("compact");
            assertThat(cleanupPolicy(configs, clean)).isEqualTo("compact");
            assertThat(cleanupPolicy(configs, dlq)).isEqualTo("delete");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, dlq)).get("retention.ms").value()).isEqualTo("2592000000");
            // A rejected record of the other topics' maximum size (the broker's 1 MiB) fits with its headers.
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, dlq)).get("max.message.bytes").value()).isEqualTo("2097152");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, events)).get("max.message.bytes").value()).isEqualTo("1048588");
        }
    }

    private static String cleanupPolicy(Map<ConfigResource, Config> configs, String topic) {
        return configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic)).get("cleanup.policy").value();
    }

    private Properties producerProps(String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stack-it-" + topic);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** Every record the isolation level shows, read to the partitions' end offsets (read_committed: the last stable offset). */
    private List<String> readAll(String topic, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(60)) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end offsets %s within 60 s", topic, end).isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
