package org.userlogins.chaos.hostile;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the burst straight to the events topic, one record at a time. The producer accepts
 * records up to 4 MB so that the broker itself judges the oversized one; retries end with the
 * delivery timeout, never loop forever.
 */
public final class HostileSender {
    private HostileSender() {
    }

    /** Outcome per key: "sent" or "refused: reason" (anything else refused counts as a failure later). */
    public static Map<String, String> send(String bootstrap, String topic, List<HostileMessage> burst) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 16 * 1024 * 1024,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "pipeline-chaos-hostile");
        Map<String, String> outcome = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (HostileMessage message : burst) {
                byte[] key = message.key().getBytes(StandardCharsets.UTF_8);
                try {
                    producer.send(new ProducerRecord<>(topic, key, message.value())).get(60, TimeUnit.SECONDS);
                    outcome.put(message.key(), "sent");
                } catch (ExecutionException e) {
                    outcome.put(message.key(), e.getCause() instanceof RecordTooLargeException
                            ? "refused: record too large" : "failed: " + e.getCause());
                } catch (Exception e) {
                    outcome.put(message.key(), "failed: " + e);
                }
            }
        }
        return outcome;
    }
}
