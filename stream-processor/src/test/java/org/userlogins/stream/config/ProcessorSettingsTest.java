package org.userlogins.stream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.stream.errors.LogAndFailDeserializationHandler;
import org.userlogins.stream.errors.LogAndFailProductionHandler;

class ProcessorSettingsTest {

    @Test
    void shouldUseTheLocalDefaultsWhenNothingIsSet() {
        ProcessorSettings s = ProcessorSettings.fromEnv(new Env(Map.of()));
        assertThat(s).isEqualTo(new ProcessorSettings("localhost:9092", "user_events", "user_events_clean", "user_events_dlq",
                "user-logins-stream-processor", "/tmp/user-logins-stream-processor", Duration.ofDays(7), 1048576, 1,
                Duration.ofMillis(100), 1, Duration.ofSeconds(10), 8082));
    }

    @Test
    void shouldReadEveryVariable() {
        ProcessorSettings s = ProcessorSettings.fromEnv(new Env(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"), Map.entry("KAFKA_TOPIC_EVENTS", "in"),
                Map.entry("KAFKA_TOPIC_CLEAN", "out"), Map.entry("KAFKA_TOPIC_DLQ", "bad"),
                Map.entry("PROCESSOR_APPLICATION_ID", "app"), Map.entry("PROCESSOR_STATE_DIR", "/var/lib/sp"),
                Map.entry("PROCESSOR_DEDUPE_RETENTION", "P1D"), Map.entry("PROCESSOR_MAX_MESSAGE_BYTES", "2048"),
                Map.entry("PROCESSOR_THREADS", "3"), Map.entry("PROCESSOR_COMMIT_INTERVAL", "PT1S"),
                Map.entry("PROCESSOR_REPLICATION_FACTOR", "3"), Map.entry("PROCESSOR_SESSION_TIMEOUT", "PT10S"), Map.entry("PROCESSOR_OPS_PORT", "0"))));
        assertThat(s).isEqualTo(new ProcessorSettings("k1:9092,k2:9092", "in", "out", "bad", "app", "/var/lib/sp",
                Duration.ofDays(1), 2048, 3, Duration.ofSeconds(1), 3, Duration.ofSeconds(10), 0));
    }

    @Test
    void shouldFailNamingTheVariableWhenAValueIsInvalid() {
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_THREADS", "zero"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROCESSOR_THREADS");
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_DEDUPE_RETENTION", "PT0S"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROCESSOR_DEDUPE_RETENTION");
        assertThatThrownBy(() -> ProcessorSettings.fromEnv(new Env(Map.of("KAFKA_TOPIC_CLEAN", "user_events"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_TOPIC_CLEAN");
    }

    @Test
    void shouldConfigureExactlyOnceAndFailingErrorHandlers() {
        Properties p = ProcessorSettings.fromEnv(new Env(Map.of())).toProperties();
        assertThat(p).containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("application.id", "user-logins-stream-processor")
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("commit.interval.ms", 100L)
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
}
