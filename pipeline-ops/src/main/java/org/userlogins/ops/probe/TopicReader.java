package org.userlogins.ops.probe;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.userlogins.ops.OpsSettings;

/**
 * Reads a topic once, as bytes, with a consumer of no group (assigned partitions, nothing
 * committed): from each partition's start (or only its newest records) up to the end offsets
 * taken when the read begins. read_committed, so an end offset is the last stable one.
 */
public final class TopicReader {
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private TopicReader() {
    }

    /** The operator's consumer: bootstrap servers, then the KAFKA_CLIENT_* overrides (TLS, SASL) as the services have them. */
    public static Properties consumerProperties(OpsSettings settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka());
        p.putAll(settings.kafkaClient().properties());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return p;
    }

    /**
     * @param newestPerPartition read at most this many records of each partition (its newest); Long.MAX_VALUE for all
     * @param deadline           give up after this long in total
     * @param stallTimeout       give up when no partition moved for this long
     * @return true when every partition was read to its end offset; false when records were left
     *         out (by {@code newestPerPartition}) or a time limit stopped the read
     */
    public static boolean read(Properties client, String topic, long newestPerPartition, Duration deadline, Duration stallTimeout,
                               Consumer<ConsumerRecord<byte[], byte[]>> each) {
        boolean complete = true;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            if (partitions.isEmpty()) {
                return true;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, METADATA_TIMEOUT));
            for (TopicPartition tp : partitions) {
                long from = newestPerPartition == Long.MAX_VALUE ? start.get(tp) : Math.max(start.get(tp), end.get(tp) - newestPerPartition);
                complete &= from == start.get(tp);
                consumer.seek(tp, from);
            }
            end.entrySet().removeIf(e -> e.getValue() <= start.get(e.getKey()));
            long stop = System.nanoTime() + deadline.toNanos();
            long lastMove = System.nanoTime();
            Map<TopicPartition, Long> positions = new HashMap<>();
            while (!end.isEmpty() && System.nanoTime() < stop && System.nanoTime() - lastMove < stallTimeout.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(r);
                }
                for (TopicPartition tp : end.keySet()) {
                    long position = consumer.position(tp);
                    if (!Long.valueOf(position).equals(positions.put(tp, position))) {
                        lastMove = System.nanoTime();
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            complete &= end.isEmpty();
        }
        return complete;
    }
}
