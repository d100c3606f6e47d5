package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * Memory with large messages: a backlog of 300 records of ~900 KB (~270 MB), lz4-compressed so
 * that it is a few MB on the wire, goes through the service jar at -Xmx160m. Fetch sizes count
 * compressed bytes, so only PROCESSOR_MAX_INFLIGHT_BYTES's bound on records per poll keeps the
 * heap in check (Streams' own 1,000 records per poll would decompress ~900 MB at once). Every
 * record reaches the clean topic, the service never runs out of heap, and its peak RSS stays under
 * the heap plus the JVM's and RocksDB's own memory.
 */
class MemoryIT {
    private static final int RECORDS = 300;
    private static final int HEAP_MIB = 160;
    /** Off-heap on top of -Xmx: metaspace, thread stacks, code cache, RocksDB's block cache and memtables. */
    private static final int OVERHEAD_MIB = 250;

    @TempDir
    Path stateDir;

    @Test
    void shouldProcessABacklogOfLargeCompressibleMessagesWithinItsHeap() throws Exception {
        try (var broker = new BrokerFixture()) {
            sendLargeCompressed(broker.input);
            Map<String, String> env = new HashMap<>(broker.env());
            env.put("PROCESSOR_HEAP", HEAP_MIB + "m"); // -Xmx, as in the environment of ./pipeline
            env.put("PROCESSOR_STATE_DIR", stateDir.toString());
            ServiceProcess processor = ProcessorProcess.start("memory-" + broker.suffix, env);
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !processor.isAlive() || broker.inputFullyCommitted());
                assertThat(processor.isAlive()).as("processor alive (log " + processor.logFile() + ")").isTrue();
                long peak = processor.peakRssMib();
                System.out.printf("[MemoryIT] %d records of ~900 KB (~%d MB, lz4 on the wire): processor peak RSS %d MiB at -Xmx%dm%n",
                        RECORDS, RECORDS * 900 / 1000, peak, HEAP_MIB);
                assertThat(peak).as("peak RSS in MiB: heap + stated overhead").isLessThan(HEAP_MIB + OVERHEAD_MIB);
            } finally {
                processor.stop(Duration.ofSeconds(35)); // SIGTERM, then SIGKILL after 35 s
            }
            assertThat(processor.output()).doesNotContain("OutOfMemoryError");
            assertThat(countCommitted(broker.clean)).isEqualTo(RECORDS);
            assertThat(countCommitted(broker.dlq)).isZero();
        }
    }

    private static void sendLargeCompressed(String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerFixture.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        String name = "z".repeat(900_000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int id = 1; id <= RECORDS; id++) {
                String json = "{\"id\":" + id + ",\"username\":\"" + name + "\",\"event_type\":\"login\",\"event_time\":1732400000}";
                producer.send(new ProducerRecord<>(topic, BrokerFixture.bytes(Integer.toString(id)), BrokerFixture.bytes(json)),
                        (metadata, error) -> failure.compareAndSet(null, error));
            }
            producer.flush();
        }
        assertThat(failure.get()).as("every test record accepted by the broker").isNull();
    }

    /** Committed records of a topic, counted without keeping them (they are large). */
    private static long countCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerFixture.BOOTSTRAP);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        long count = 0;
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count;
    }

}
