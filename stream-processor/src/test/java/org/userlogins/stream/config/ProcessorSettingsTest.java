package org.userlogins.stream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.KafkaClientOverrides;
import org.userlogins.stream.errors.LogAndFailDeserializationHandler;
import org.userlogins.stream.errors.LogAndFailProductionHandler;

class ProcessorSettingsTest {

    @Test
    void shouldUseTheLocalDefaultsWhenNothingIsSet() {
        ProcessorSettings s = ProcessorSettings.fromEnv(new Env(Map.of()));
        assertThat(s).isEqualTo(new ProcessorSettings("localhost:9092", "user_events", "user_events_clean", "user_events_dlq",
                "user-logins-stream-processor", "/tmp/user-logins-stream-processor", Duration.ofDays(7), 3, 1_000_000, 67108864L, 1,
                Duration.ofMillis(50), 1, Duration.ofSeconds(10), 8082, KafkaClientOverrides.NONE));
    }

    @Test
    void shouldReadEveryVariable() {
        ProcessorSettings s = ProcessorSettings.fromEnv(new Env(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"), Map.entry("KAFKA_TOPIC_EVENTS", "in"),
                Map.entry("KAFKA_TOPIC_CLEAN", "out"), Map.entry("KAFKA_TOPIC_DLQ", "bad"),
                Map.entry("PROCESSOR_APPLICATION_ID", "app"), Map.entry("PROCESSOR_STATE_DIR", "/var/lib/sp"),
                Map.entry("PROCESSOR_DEDUPE_RETENTION", "P1D"), Map.entry("PROCESSOR_DEDUPE_PARTITIONS", "12"),
                Map.entry("PROCESSOR_MAX_MESSAGE_BYTES", "2048"),
                Map.entry("PROCESSOR_MAX_INFLIGHT_BYTES", "8388608"),
                Map.entry("PROCESSOR_THREADS", "3"), Map.entry("PROCESSOR_COMMIT_INTERVAL", "PT1S"),
                Map.entry("PROCESSOR_REPLICATION_FACTOR", "3"), Map.entry("PROCESSOR_SESSION_TIMEOUT", "PT10S"), Map.entry("PROCESSOR_OPS_PORT", "0"))));
        assertThat(s).isEqualTo(new ProcessorSettings("k1:9092,k2:9092", "in", "out", "bad", "app", "/var/lib/sp",
                Duration.ofDays(1), 12, 2048, 8388608L, 3, Duration.ofSeconds(1), 3, Duration.ofSeconds(10), 0, KafkaClientOverrides.NONE));
    }

    @Test
    void shouldFailNamingTheVariableWhenAValueIsInvalid() {
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_THREADS", "zero"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROCESSOR_THREADS");
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_DEDUPE_RETENTION", "PT0S"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROCESSOR_DEDUPE_RETENTION");
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_DEDUPE_PARTITIONS", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROCESSOR_DEDUPE_PARTITIONS");
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("KAFKA_TOPIC_CLEAN", "user_events"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_TOPIC_CLEAN");
    }

    @Test
    void shouldSeeAPartitionAddedToTheInputWithinHalfAMinuteUnlessOverridden() {
        assertThat(StreamsProperties.of(ProcessorSettings.fromEnv(new Env(Map.of())))).containsEntry("metadata.max.age.ms", 30_000);
        assertThat(StreamsProperties.of(ProcessorSettings.fromEnv(new Env(Map.of("KAFKA_CLIENT_METADATA_MAX_AGE_MS", "1000")))))
                .containsEntry("metadata.max.age.ms", "1000");
    }

    @Test
    void shouldConfigureExactlyOnceAndFailingErrorHandlers() {
        Properties p = StreamsProperties.of(ProcessorSettings.fromEnv(new Env(Map.of())));
        assertThat(p).containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("application.id", "user-logins-stream-processor")
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("commit.interval.ms", 50L)
                .containsEntry("num.stream.threads", 1)
                .containsEntry("replication.factor", 1)
                .containsEntry("state.dir", "/tmp/user-logins-stream-processor")
                .containsEntry("deserialization.exception.handler", LogAndFailDeserializationHandler.class.getName())
                .containsEntry("production.exception.handler", LogAndFailProductionHandler.class.getName())
                .containsEntry("producer.compression.type", "lz4")
                .containsEntry("producer.linger.ms", 5)
                .containsEntry("main.consumer.session.timeout.ms", 10000);
        assertThat((int) p.get("producer.max.request.size")).isGreaterThan(1048576);
    }

    @Test
    void shouldBoundWhatEachThreadHoldsInBytes() {
        ProcessorSettings s = ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_MAX_INFLIGHT_BYTES", "67108864", "PROCESSOR_THREADS", "2")));
        Properties p = StreamsProperties.of(s);

        assertThat(p).containsEntry("main.consumer.fetch.max.bytes", 16 * 1024 * 1024)
                .containsEntry("main.consumer.max.partition.fetch.bytes", 1024 * 1024)
                .containsEntry("restore.consumer.fetch.max.bytes", 16 * 1024 * 1024)
                .containsEntry("buffered.records.per.partition", 1)
                .containsEntry("main.consumer.max.poll.records", 15)
                .containsEntry("producer.buffer.memory", 32L * 1024 * 1024);
        assertThat(s.inFlightCaps().total()).as("two threads, each under its 64 MiB cap").isLessThanOrEqualTo(128L * 1024 * 1024);
        assertThat(s.inFlightCaps().describe())
                .isEqualTo("consumer_fetch 32 MiB + queued_poll 31.9 MiB + producer_buffer 64 MiB = 127.9 MiB");
    }

    @Test
    void shouldNeverBoundBelowOneMessageOfTheMaximumSize() {
        Properties p = StreamsProperties.of(ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_MAX_INFLIGHT_BYTES", "4194304",
                "PROCESSOR_MAX_MESSAGE_BYTES", "3145728"))));

        int request = (int) p.get("producer.max.request.size");
        assertThat(request).isGreaterThan(3145728);
        assertThat(p).containsEntry("main.consumer.fetch.max.bytes", request).containsEntry("producer.buffer.memory", (long) request)
                .containsEntry("main.consumer.max.poll.records", 1);
    }

    @Test
    void shouldGiveAllOfStreamsClientsTheKafkaClientOverridesAndMaskTheirSecrets() {
        ProcessorSettings s = ProcessorSettings.fromEnv(new Env(Map.of(
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sp\" password=\"s3cret\";",
                "KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12")));

        assertThat(StreamsProperties.of(s)).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12").containsEntry("processing.guarantee", "exactly_once_v2");
        assertThat(s.describe()).doesNotContain("s3cret").contains("sasl.jaas.config=****").contains("security.protocol=SASL_SSL");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldRefuseOverridingExactlyOnceEvenBehindAClientPrefix() {
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("KAFKA_CLIENT_PROCESSING_GUARANTEE", "at_least_once"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_CLIENT_PROCESSING_GUARANTEE would set processing.guarantee");
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("KAFKA_CLIENT_PRODUCER_TRANSACTIONAL_ID", "x"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_CLIENT_PRODUCER_TRANSACTIONAL_ID would set producer.transactional.id");
    }
}
