package org.userlogins.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.userlogins.kit.Env;
import org.userlogins.stream.config.ProcessorSettings;

/**
 * Throughput of the topology through the real broker against the raw producer rate of the same
 * records in the same run. Pre-fills a fresh 3-partition topic with N ~150-byte events, then
 * starts the processor (exactly_once_v2, default settings) and times it from RUNNING until it has
 * committed the end of the input. Not a test: run with
 * {@code java -cp 'target/classes:target/test-classes:target/lib/*' org.userlogins.stream.ProcessorBench 200000}.
 */
public final class ProcessorBench {
    private ProcessorBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        try (var broker = new BrokerFixture()) {
            double produceRate = prefill(broker.input, n);
            Map<String, String> env = new HashMap<>(broker.env());
            // PROCESSOR_THREADS, PROCESSOR_COMMIT_INTERVAL, KAFKA_CLIENT_*... from the caller's environment, to compare settings.
            System.getenv().forEach((key, value) -> {
                if ((key.startsWith("PROCESSOR_") && !key.equals("PROCESSOR_APPLICATION_ID")) || key.startsWith("KAFKA_CLIENT_")) {
                    env.put(key, value);
                }
            });
            env.put("PROCESSOR_STATE_DIR", Files.createTempDirectory("processor-bench").toString());
            ProcessorSettings settings = ProcessorSettings.fromEnv(new Env(env));
            CountDownLatch running = new CountDownLatch(1);
            try (var streams = BrokerFixture.streams(settings)) {
                streams.setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.RUNNING) {
                        running.countDown();
                    }
                });
                streams.start();
                running.await();
                long start = System.nanoTime();
                while (!broker.inputFullyCommitted()) {
                    Thread.sleep(50);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("bench: N=%d records of ~150 B, 3 partitions: raw producer %.0f rec/s; "
                                + "stream-processor (exactly_once_v2, %d thread, commit %s) %.0f rec/s (%.1f s), %.0f%% of producer%n",
                        n, produceRate, settings.threads(), settings.commitInterval(), n / seconds, seconds,
                        100 * (n / seconds) / produceRate);
            }
        }
    }

    private static double prefill(String topic, int n) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerFixture.BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (int id = 1; id <= n; id++) {
                String json = "{\"id\":" + id + ",\"username\":\"user_" + id + "\",\"event_type\":\"login\",\"event_time\":1732400000,"
                        + "\"source_lsn\":" + (24_000_000L + id) + ",\"commit_ts_ms\":1732400000123,\"capture_ts_ms\":1732400000150}";
                producer.send(new ProducerRecord<>(topic, BrokerFixture.bytes(Integer.toString(id)), BrokerFixture.bytes(json)),
                        (metadata, error) -> failure.compareAndSet(null, error));
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("prefill failed: " + failure.get(), failure.get());
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }
}
