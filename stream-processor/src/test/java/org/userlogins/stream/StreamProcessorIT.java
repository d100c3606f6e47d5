package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.userlogins.stream.BrokerFixture.bytes;
import static org.userlogins.stream.BrokerFixture.text;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.kit.Env;
import org.userlogins.stream.config.ProcessorSettings;

/** The topology on the real broker with exactly_once_v2: valid ids once, malformed ones in the DLQ. */
class StreamProcessorIT {
    @TempDir
    Path stateDir;

    @Test
    void shouldWriteEachValidIdOnceAndEachMalformedMessageToTheDlqWithItsReason() throws Exception {
        try (var broker = new BrokerFixture()) {
            Map<String, String> env = new HashMap<>(broker.env());
            env.put("PROCESSOR_STATE_DIR", stateDir.toString());
            ProcessorSettings settings = ProcessorSettings.fromEnv(new Env(env));
            Map<String, String> malformed = Map.of(
                    "{\"id\":", "not_json",
                    "[1,2,3]", "not_object",
                    "{\"username\":\"nobody\"}", "missing_id",
                    "{\"id\":2.5}", "invalid_id",
                    "{\"id\":9001,\"username\":7}", "wrong_type",
                    "{\"id\":9002,\"event_time\":5000000000}", "event_time_out_of_range");

            try (var streams = BrokerFixture.streams(settings);
                 var producer = broker.producer()) {
                streams.start();
                for (int id = 1; id <= 300; id++) {
                    producer.send(event(broker.input, id));
                }
                for (int id = 1; id <= 300; id += 3) {
                    producer.send(event(broker.input, id)); // re-sent copies, as capture does after a crash
                }
                malformed.keySet().forEach(v -> producer.send(new ProducerRecord<>(broker.input, bytes("bad"), bytes(v))));
                producer.flush();

                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                        .until(broker::inputFullyCommitted);
            }

            List<String> cleanKeys = broker.readCommitted(broker.clean).stream().map(r -> text(r.key())).toList();
            assertThat(cleanKeys).hasSize(300)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 300).mapToObj(Integer::toString).toList());
            Map<String, String> dlqReasons = broker.readCommitted(broker.dlq).stream().collect(Collectors.toMap(
                    r -> text(r.value()), StreamProcessorIT::reason));
            assertThat(dlqReasons).isEqualTo(malformed);
        }
    }

    /**
     * A record close to the broker's message.max.bytes (1,048,588) is too large for the processor
     * and comes back larger: the DLQ copy adds its headers, and lz4 cannot shrink random bytes. It
     * must still reach the DLQ whole (the DLQ topic takes 2 MiB, as the stack creates it), and the
     * processor must go on: a refused DLQ send would stop it on every restart.
     */
    @Test
    void shouldDeadLetterARejectedRecordOfNearlyTheBrokersMaximumSizeWhole() throws Exception {
        try (var broker = new BrokerFixture()) {
            Map<String, String> env = new HashMap<>(broker.env());
            env.put("PROCESSOR_STATE_DIR", stateDir.toString());
            ProcessorSettings settings = ProcessorSettings.fromEnv(new Env(env));
            byte[] large = new byte[1_048_450];
            new Random(7).nextBytes(large);

            try (var streams = BrokerFixture.streams(settings);
                 var producer = broker.producer()) {
                streams.start();
                producer.send(new ProducerRecord<>(broker.input, bytes("large"), large));
                producer.send(event(broker.input, 1));
                producer.flush();

                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                        .until(() -> streams.state() == KafkaStreams.State.ERROR || broker.inputFullyCommitted());
                // Processing, not failed: a rebalance may follow the last commit (RUNNING or REBALANCING, as /health counts up).
                assertThat(streams.state()).as("Kafka Streams' state").isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            }

            assertThat(broker.readCommitted(broker.clean)).extracting(r -> text(r.key())).containsExactly("1");
            List<ConsumerRecord<byte[], byte[]>> dlq = broker.readCommitted(broker.dlq);
            assertThat(dlq).hasSize(1);
            assertThat(reason(dlq.get(0))).isEqualTo("too_large");
            assertThat(dlq.get(0).value()).isEqualTo(large);
        }
    }

    static ProducerRecord<byte[], byte[]> event(String topic, int id) {
        String json = "{\"id\":" + id + ",\"username\":\"user" + id + "\",\"event_type\":\"login\",\"event_time\":1732400000.5}";
        return new ProducerRecord<>(topic, bytes(Integer.toString(id)), bytes(json));
    }

    static String reason(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8);
    }
}
