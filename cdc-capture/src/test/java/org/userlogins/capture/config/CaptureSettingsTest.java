package org.userlogins.capture.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(s.eventTimeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(s.walWarnBytes()).isEqualTo(1L << 30);
        assertThat(s.opsPort()).isEqualTo(8081);
        assertThat(s.kafkaBootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void shouldBoundMemoryInBytesWhateverTheRowSizes() {
        CaptureSettings s = settings(Map.of());
        Properties debezium = DebeziumProperties.of(s);
        Properties producer = ProducerProperties.of(s);

        assertThat(debezium).containsEntry("max.queue.size.in.bytes", "16777216").containsEntry("snapshot.fetch.size", "16");
        assertThat(producer).containsEntry("buffer.memory", "16777216");
        assertThat(s.inFlightCaps().describe())
                .isEqualTo("debezium_queue 16 MiB + batch_in_hand 32 MiB + snapshot_fetch 15.3 MiB + producer_buffer 16 MiB = 79.3 MiB");
    }

    @Test
    void shouldKeepDebeziumsSnapshotFetchForSmallMessages() {
        assertThat(settings(Map.of("CAPTURE_MAX_MESSAGE_BYTES", "1024")).snapshotFetchRows()).isEqualTo(10_240);
        assertThat(settings(Map.of("CAPTURE_MAX_QUEUE_BYTES", "1048576", "CAPTURE_MAX_MESSAGE_BYTES", "4194304")).snapshotFetchRows())
                .isEqualTo(1);
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
    void shouldConfigureDebeziumForChangesOfUnsentRowsOnly() {
        Properties p = DebeziumProperties.of(settings(Map.of("CAPTURE_SLOT", "s1")));

        assertThat(p.getProperty("plugin.name")).isEqualTo("pgoutput");
        assertThat(p.getProperty("slot.name")).isEqualTo("s1");
        assertThat(p.getProperty("topic.prefix")).isEqualTo("s1");
        assertThat(p.getProperty("publication.autocreate.mode")).isEqualTo("disabled");
        assertThat(p.getProperty("skipped.operations")).isEqualTo("d,t"); // inserts and updates: a flag set back to FALSE arrives as one of them
        assertThat(p.getProperty("snapshot.mode")).isEqualTo("when_needed");
        assertThat(p.getProperty("snapshot.select.statement.overrides.public.user_logins"))
                .isEqualTo("SELECT * FROM public.user_logins WHERE sent_to_kafka IS NOT TRUE");
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

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"capture\" password=\"s3cret\";";
    private static final Map<String, String> SASL_SSL = Map.of(
            "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_CLIENT_SASL_JAAS_CONFIG", JAAS,
            "KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "3000");

    @Test
    void shouldGiveTheProducerTheKafkaClientOverridesButKeepItsGuarantees() {
        Properties p = ProducerProperties.of(settings(SASL_SSL));

        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS).containsEntry("enable.idempotence", "true").containsEntry("acks", "all");
        assertThatThrownBy(() -> settings(Map.of("KAFKA_CLIENT_ACKS", "1"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KAFKA_CLIENT_ACKS would set acks");
    }

    @Test
    void shouldGiveDebeziumsKafkaOffsetStoreTheOverridesUnprefixedWithConnectorSettingsWinning() {
        Properties p = DebeziumProperties.of(settings(SASL_SSL));

        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("heartbeat.interval.ms", "10000");
    }

    @Test
    void shouldNotGiveAFileOffsetStoreKafkaProperties() {
        Map<String, String> env = new HashMap<>(SASL_SSL);
        env.put("CAPTURE_OFFSETS_FILE", "/tmp/o.dat");

        assertThat(DebeziumProperties.of(settings(env))).doesNotContainKeys("security.protocol", "sasl.jaas.config");
    }

    @Test
    void shouldPreferTlsToPostgresByDefaultAndVerifyWhenAsked(@TempDir Path dir) throws Exception {
        assertThat(DebeziumProperties.of(settings(Map.of()))).containsEntry("database.sslmode", "prefer")
                .doesNotContainKeys("database.sslrootcert", "database.sslcert", "database.sslkey");
        Path ca = Files.writeString(dir.resolve("root ca.crt"), "pem");

        CaptureSettings s = settings(Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", ca.toString()));

        assertThat(DebeziumProperties.of(s)).containsEntry("database.sslmode", "verify-full").containsEntry("database.sslrootcert", ca.toString());
        Properties jdbc = org.postgresql.Driver.parseURL(s.jdbcUrl(), null);
        assertThat(jdbc).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", ca.toString())
                .containsEntry("ApplicationName", "cdc-capture").containsEntry("PGDBNAME", "pipeline");
    }

    @Test
    void shouldMaskTheJaasConfigurationInTheLoggedLine() {
        String line = settings(SASL_SSL).describe();

        assertThat(line).doesNotContain("s3cret").contains("sasl.jaas.config=****").contains("security.protocol=SASL_SSL")
                .contains("sslmode=prefer");
    }
}
