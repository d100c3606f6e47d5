package org.userlogins.writer.config;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The writer's consumer from its settings. */
public final class ConsumerProperties {
    private ConsumerProperties() {
    }

    /** The consumer: manual commits after ClickHouse accepted, and only committed transactions. */
    public static Properties of(WriterSettings s) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A new group reads the topic from its start: the table must get every event ever sent.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Bounded so one poll cannot overshoot the batch by much (the batch may exceed
        // WRITER_BATCH_ROWS by less than one poll).
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(s.maxPollRecords()));
        // What the consumer holds fetched but not yet polled, next to the batch: at most the batch's own
        // byte cap (and never under one maximum message), instead of the client's 50 MiB.
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Long.toString(s.bufferBytes()));
        // Cooperative: a rebalance revokes only the partitions that move, so the others keep their batch.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ch-writer-" + s.groupId());
        // How long a crashed writer keeps its partitions before the group gives them to another
        // (the broker accepts 6 s to 5 min by default).
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(s.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(1000, s.sessionTimeout().toMillis() / 3)));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // TLS, SASL and tuning; what the guarantees rest on cannot be overridden (KafkaClientOverrides).
        p.putAll(s.kafkaClient().properties());
        return p;
    }
}
