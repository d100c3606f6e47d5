package org.userlogins.bench.reference;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.ops.OpsSettings;

/**
 * The broker's raw producer rate for messages like capture's: the same JSON codec, key = id,
 * the producer settings capture uses (idempotent, acks=all, lz4, linger 5 ms, 256 KiB batches).
 */
public final class ProducerRate {
    private ProducerRate() {
    }

    public static Rate measure(OpsSettings settings, String topic, int rows) {
        Properties p = new Properties();
        p.putAll(settings.kafkaClientConfig()); // the brokers, TLS and SASL as the services have them
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (long id = 1; id <= rows; id++) {
                UserEvent e = new UserEvent(id, "user" + id % 97, "login", now / 1000, 24_000_000L + id * 120, now, now + 20);
                producer.send(new ProducerRecord<>(topic, Long.toString(id).getBytes(StandardCharsets.UTF_8), UserEventJson.write(e)),
                        (metadata, error) -> failure.compareAndSet(null, error));
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("the reference producer's sends failed: " + failure.get(), failure.get());
            }
            return Rate.of(rows, System.nanoTime() - start);
        }
    }
}
