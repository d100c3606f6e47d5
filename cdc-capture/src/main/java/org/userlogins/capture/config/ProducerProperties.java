package org.userlogins.capture.config;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The producer of {@code user_events}: idempotent, acks from all replicas, so an ack means stored. */
public final class ProducerProperties {
    private ProducerProperties() {
    }

    public static Properties of(CaptureSettings s) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafkaBootstrapServers());
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "cdc-capture-" + s.slotName());
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(s.producerBufferBytes()));
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Partitions added to user_events are written to within 30 s instead of Kafka's 5 minutes.
        p.setProperty(ProducerConfig.METADATA_MAX_AGE_CONFIG, "30000");
        // TLS, SASL and tuning; what the guarantees rest on cannot be overridden (KafkaClientOverrides).
        p.putAll(s.kafkaClient().properties());
        return p;
    }
}
