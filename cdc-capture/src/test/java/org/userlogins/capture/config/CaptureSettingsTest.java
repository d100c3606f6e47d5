package org.userlogins.capture.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;

class CaptureSettingsTest {
    private static CaptureSettings settings(Map<String, String> env) {
        return CaptureSettings.fromEnv(new Env(env));
    }

    @Test
    void shouldUseTheLocalDefaultsWhenNothingIsSet() {
        CaptureSettings s = settings(Map.of());

        assertThat(s.slotName()).isEqualTo("user_logins_capture");
        assertThat(s.publication()).isEqualTo("user_logins_pub");
        assertThat(s.table()).isEqualTo("public.user_logins");
        assertThat(s.eventsTopic()).isEqualTo("user_events");
        assertThat(s.offsetsTopic()).isEqualTo("user_logins_capture_offsets");
        assertThat(s.offsetsFile()).isNull();
        assertThat(s.maxBatchSize()).isEqualTo(8192);
        assertThat(s.maxQueueSize()).isEqualTo(4 * 8192);
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.eventTimeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(s.walWarnBytes()).isEqualTo(1L << 30);
        assertThat(s.opsPort()).isEqualTo(8081);
        assertThat(s.kafkaBootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void shouldMaskThePasswordInTheLoggedLine() {
        assertThat(settings(Map.of("CAPTURE_PGPASSWORD", "s3cret")).describe()).doesNotContain("s3cret").contains("password=****");
    }

    @Test
    void shouldRejectAQueueNotLargerThanTheBatch() {
        assertThatThrownBy(() -> settings(Map.of("CAPTURE_MAX_BATCH_SIZE", "100", "CAPTURE_MAX_QUEUE_SIZE", "100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CAPTURE_MAX_QUEUE_SIZE=100 must be larger");
    }

    @Test
    void shouldRejectBadValuesNamingTheVariable() {
        assertThatThrownBy(() -> settings(Map.of("CAPTURE_SLOT", "Bad-Slot"))).hasMessageStartingWith("CAPTURE_SLOT=Bad-Slot");
        assertThatThrownBy(() -> settings(Map.of("CAPTURE_TABLE", "user_logins"))).hasMessageStartingWith("CAPTURE_TABLE=user_logins");
        assertThatThrownBy(() -> settings(Map.of("CAPTURE_EVENT_TIME_ZONE", "Mars/Base"))).hasMessageStartingWith("CAPTURE_EVENT_TIME_ZONE=Mars/Base");
        assertThatThrownBy(() -> settings(Map.of("CAPTURE_MAX_BATCH_SIZE", "many"))).hasMessageStartingWith("CAPTURE_MAX_BATCH_SIZE=many");
        assertThatThrownBy(() -> settings(Map.of("CAPTURE_POLL_INTERVAL", "0"))).hasMessageStartingWith("CAPTURE_POLL_INTERVAL");
        assertThatThrownBy(() -> settings(Map.of("CAPTURE_PUBLICATION", "pub; drop"))).hasMessageStartingWith("CAPTURE_PUBLICATION=");
    }

    @Test
    void shouldConfigureDebeziumForInsertsOfUnsentRowsOnly() {
        Properties p = DebeziumProperties.of(settings(Map.of("CAPTURE_SLOT", "s1")));

        assertThat(p.getProperty("plugin.name")).isEqualTo("pgoutput");
        assertThat(p.getProperty("slot.name")).isEqualTo("s1");
        assertThat(p.getProperty("topic.prefix")).isEqualTo("s1");
        assertThat(p.getProperty("publication.autocreate.mode")).isEqualTo("disabled");
        assertThat(p.getProperty("skipped.operations")).isEqualTo("u,d,t");
        assertThat(p.getProperty("snapshot.mode")).isEqualTo("when_needed");
        assertThat(p.getProperty("snapshot.select.statement.overrides.public.user_logins"))
                .isEqualTo("SELECT * FROM public.user_logins WHERE sent_to_kafka = FALSE");
        assertThat(p.getProperty("heartbeat.action.query")).contains("pg_logical_emit_message");
        assertThat(p.getProperty("offset.storage")).endsWith("KafkaOffsetBackingStore");
        assertThat(p.getProperty("offset.storage.partitions")).isEqualTo("1");
    }

    @Test
    void shouldKeepOffsetsInAFileWhenOneIsConfigured() {
        Properties p = DebeziumProperties.of(settings(Map.of("CAPTURE_OFFSETS_FILE", "/tmp/o.dat")));

        assertThat(p.getProperty("offset.storage")).endsWith("FileOffsetBackingStore");
        assertThat(p.getProperty("offset.storage.file.filename")).isEqualTo("/tmp/o.dat");
    }

    @Test
    void shouldMakeTheProducerIdempotentWithAcksFromAll() {
        Properties p = ProducerProperties.of(settings(Map.of()));

        assertThat(p).containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("compression.type", "lz4").containsEntry("max.in.flight.requests.per.connection", "5");
    }
}
