package org.userlogins.writer.config;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.userlogins.events.Topics;

/** The writer's dead-letter producer from its settings. */
public final class DlqProducerProperties {
    private DlqProducerProperties() {
    }

    /** The dead-letter producer: idempotent and fully acknowledged, because a DLQ record replaces a row. */
    public static Properties of(WriterSettings s) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "ch-writer-dlq-" + s.groupId());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(s.bufferBytes()));
        // A clean record of the maximum size with the DLQ headers on top: what the DLQ topic takes.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.DLQ_MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(s.kafkaClient().properties());
        return p;
    }
}
