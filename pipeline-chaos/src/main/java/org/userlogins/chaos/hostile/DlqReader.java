package org.userlogins.chaos.hostile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the whole DLQ (committed records only) and returns each record's dlq.reason. */
public final class DlqReader {
    public static final String REASON_HEADER = "dlq.reason";

    private DlqReader() {
    }

    /**
     * @return reasons by key for the keys starting with {@code keyPrefix}, and in {@code countsByReason}
     *     the count of those records per reason
     */
    public static Map<String, String> read(String bootstrap, String topic, String keyPrefix, Map<String, Integer> countsByReason) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024,
                ConsumerConfig.CLIENT_ID_CONFIG, "pipeline-chaos-dlq-reader");
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!reachedEnd(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(keyPrefix)) {
                        Header h = r.headers().lastHeader(REASON_HEADER);
                        String reason = h == null ? "(no reason header)" : new String(h.value(), StandardCharsets.UTF_8);
                        reasons.put(key, reason);
                        countsByReason.merge(reason, 1, Integer::sum);
                    }
                }
            }
        }
        return reasons;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    public static Map<String, Integer> newCounts() {
        return new TreeMap<>();
    }
}
