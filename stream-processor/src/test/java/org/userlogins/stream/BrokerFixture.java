package org.userlogins.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.userlogins.kit.TopicLeaders;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.topology.StreamTopology;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;
import org.userlogins.stream.config.StreamsProperties;

/**
 * The real local broker for the *IT tests: unique topics per run (3 partitions), a plain
 * producer, a read_committed reader of a whole topic, and the check that an application has
 * committed every input offset (so its output is complete, not merely started).
 */
final class BrokerFixture implements AutoCloseable {
    static final String BOOTSTRAP = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");

    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String input = "it-sp-events-" + suffix;
    final String clean = "it-sp-clean-" + suffix;
    final String dlq = "it-sp-dlq-" + suffix;
    final String applicationId = "it-sp-app-" + suffix;
    private final Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP));

    BrokerFixture() throws Exception {
        TopicSetup.create(admin, TopicSpec.pipeline(input, clean, dlq)); // as the stack creates them
    }

    /** The environment the service reads, pointed at this run's topics. */
    Map<String, String> env() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP, "KAFKA_TOPIC_EVENTS", input, "KAFKA_TOPIC_CLEAN", clean,
                "KAFKA_TOPIC_DLQ", dlq, "PROCESSOR_APPLICATION_ID", applicationId, "PROCESSOR_OPS_PORT", "0",
                "PROCESSOR_SESSION_TIMEOUT", "PT6S");
    }

    KafkaProducer<byte[], byte[]> producer() {
        return producer(Map.of());
    }

    /** {@code extra}: producer properties on top of the fixture's, e.g. a short metadata.max.age.ms. */
    KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putAll(extra);
        return new CheckedProducer(p);
    }

    /** Grows the input topic to {@code partitions}, as an operator's {@code kafka-topics --alter --partitions} does. */
    void growInput(int partitions) throws Exception {
        admin.createPartitions(Map.of(input, NewPartitions.increaseTo(partitions))).all().get();
        TopicLeaders.await(admin, List.of(input), Duration.ofSeconds(60));
    }

    /** Creates a topic of this run (deleted at close if it is one of the application's internal topics). */
    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    /** The end offset of one partition of a topic. */
    long endOffset(String topic, int partition) throws ExecutionException, InterruptedException {
        TopicPartition tp = new TopicPartition(topic, partition);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    /** A producer whose flush() throws if any send since the start failed: a refused send is a broken test setup. */
    private static final class CheckedProducer extends KafkaProducer<byte[], byte[]> {
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        CheckedProducer(Properties p) {
            super(p, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            return super.send(record, (metadata, error) -> failure.compareAndSet(null, error));
        }

        @Override
        public void flush() {
            super.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("the broker refused a test record: " + failure.get(), failure.get());
            }
        }
    }

    /** The app in-process; closing it leaves the group, so the group can be deleted at cleanup. */
    static KafkaStreams streams(ProcessorSettings settings) {
        return new KafkaStreams(StreamTopology.build(settings), StreamsProperties.of(settings)) {
            @Override
            public void close() {
                close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30)).withGroupMembershipOperation(
                        org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
        };
    }

    /**
     * Sends ids 1..{@code ids} to {@code topic}, with every 10th id past {@code copyDistance} also
     * re-sending the id {@code copyDistance} before it (a copy the dedupe must drop), flushing every
     * 20 ids with a short pause so the stream lasts while a test acts on it. {@code sent} is the
     * highest id flushed; the feed stops early when {@code stop} is set.
     */
    /**
     * Sends ids 1..{@code ids} (every 10th also re-sends the one {@code copyDistance} earlier),
     * flushed every 20; after id {@code holdAt} (a multiple of 20) is flushed, waits for
     * {@code release}: a test then acts at a point of the stream it chose, not one a race chose.
     */
    static void feedWithCopies(KafkaProducer<byte[], byte[]> producer, String topic, int ids, int copyDistance,
                               AtomicInteger sent, int holdAt, CountDownLatch release) {
        int id = 1;
        try {
            for (; id <= ids; id++) {
                producer.send(StreamProcessorIT.event(topic, id));
                if (id % 10 == 0 && id > copyDistance) {
                    producer.send(StreamProcessorIT.event(topic, id - copyDistance));
                }
                if (id % 20 == 0) {
                    producer.flush();
                    sent.set(id);
                    if (id == holdAt) {
                        release.await();
                    }
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        producer.flush();
        sent.set(id - 1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The repartition topic by id between validation and dedupe, once the application has made it. */
    String repartitionTopic() {
        return StreamTopology.repartitionTopic(applicationId);
    }

    /**
     * True when the application's group has committed the end of every partition of the input
     * (however many it has now) and of its repartition topic (the committed end, read_committed):
     * nothing is left to process at either step.
     */
    boolean inputFullyCommitted() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Set<String> existing = admin.listTopics().names().get();
        for (String topic : List.of(input, repartitionTopic())) {
            if (!existing.contains(topic)) {
                continue;
            }
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
        }
        return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().entrySet().stream().allMatch(end -> {
            OffsetAndMetadata done = committed.get(end.getKey());
            return end.getValue().offset() == 0 || done != null && done.offset() >= end.getValue().offset();
        });
    }

    /** Every committed record of a topic, read from the beginning up to the last stable offset. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions); // the LSO under read_committed
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // Best effort: a cleanup failure must not hide the test's own result.
        String changelog = StreamTopology.changelogTopic(applicationId);
        try {
            Set<String> existing = admin.listTopics().names().get();
            admin.deleteTopics(java.util.stream.Stream.of(input, clean, dlq, changelog, repartitionTopic())
                    .filter(existing::contains).toList()).all().get();
            admin.deleteConsumerGroups(List.of(applicationId)).all().get();
        } catch (ExecutionException | InterruptedException e) {
            System.err.println("cleanup of " + suffix + " incomplete: " + e.getMessage());
        } finally {
            admin.close();
        }
    }
}
