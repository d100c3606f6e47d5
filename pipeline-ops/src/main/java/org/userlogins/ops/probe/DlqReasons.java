package org.userlogins.ops.probe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The DLQ by {@code dlq.reason}: reads the newest {@link #MAX_PER_PARTITION} records of each
 * partition (a DLQ is small by design; the bound keeps status quick when it is not).
 */
public final class DlqReasons {
    static final int MAX_PER_PARTITION = 10_000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private DlqReasons() {
    }

    /** Counts per reason, ordered by reason; {@code complete} is false when older records were not read. */
    public record Counts(Map<String, Long> byReason, boolean complete) {
        public String describe() {
            if (byReason.isEmpty()) {
                return "empty";
            }
            StringBuilder out = new StringBuilder();
            byReason.forEach((reason, n) -> out.append(out.length() == 0 ? "" : ", ").append(reason).append(' ').append(n));
            return complete ? out.toString() : out + " (newest " + MAX_PER_PARTITION + " per partition)";
        }
    }

    public static Counts read(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Long> byReason = new TreeMap<>();
        boolean complete = true;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, READ_TIMEOUT);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, READ_TIMEOUT));
            for (TopicPartition tp : partitions) {
                long from = Math.max(start.get(tp), end.get(tp) - MAX_PER_PARTITION);
                complete &= from == start.get(tp);
                consumer.seek(tp, from);
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!end.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header reason = r.headers().lastHeader("dlq.reason");
                    byReason.merge(reason == null ? "(no reason)" : new String(reason.value(), StandardCharsets.UTF_8), 1L, Long::sum);
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            complete &= end.isEmpty();
        }
        return new Counts(byReason, complete);
    }
}
