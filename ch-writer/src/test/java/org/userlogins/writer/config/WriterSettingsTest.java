package org.userlogins.writer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;

class WriterSettingsTest {
    @Test
    void shouldUseTheLocalStackDefaults() {
        WriterSettings s = WriterSettings.fromEnv(Map.of());

        assertThat(s.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(s.cleanTopic()).isEqualTo("user_events_clean");
        assertThat(s.dlqTopic()).isEqualTo("user_events_dlq");
        assertThat(s.groupId()).isEqualTo("user-logins-consumer");
        assertThat(s.clickHouseUrl()).isEqualTo("http://127.0.0.1:8123");
        assertThat(s.database()).isEqualTo("pipeline");
        assertThat(s.table()).isEqualTo("user_logins");
        assertThat(s.tableEngine()).isEqualTo(WriterSettings.DEFAULT_ENGINE);
        assertThat(s.cluster()).isEmpty();
        assertThat(s.batch().maxWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.batch().quiet()).as("the quiet rule is opt-in").isZero();
        assertThat(s.retryInitial()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.retryMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.opsPort()).isEqualTo(8083);
    }

    @Test
    void shouldConfigureAReadCommittedConsumerWithoutAutoCommit() {
        var p = ConsumerProperties.of(WriterSettings.fromEnv(Map.of("WRITER_GROUP_ID", "g1")));

        assertThat(p).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
                .containsEntry("group.id", "g1").containsEntry("auto.offset.reset", "earliest");
    }

    @Test
    void shouldBoundTheFetchTheDlqBufferAndTheBatchInBytes() {
        var s = WriterSettings.fromEnv(Map.of("WRITER_BATCH_MAX_BYTES", "8388608"));

        assertThat(ConsumerProperties.of(s)).containsEntry("fetch.max.bytes", "8388608").containsEntry("max.poll.records", "7");
        assertThat(DlqProducerProperties.of(s)).containsEntry("buffer.memory", "8388608");
        assertThat(s.inFlightCaps().describe()).isEqualTo(
                "consumer_fetch 8 MiB + polled_records 7.4 MiB + batch 8 MiB + insert_body 16 MiB + dlq_producer 8 MiB = 47.4 MiB");
    }

    @Test
    void shouldMaskThePasswordWhenLogged() {
        WriterSettings s = WriterSettings.fromEnv(Map.of("CLICKHOUSE_PASSWORD", "hunter2"));

        assertThat(s.clickHousePassword()).isEqualTo("hunter2");
        assertThat(s.toString()).doesNotContain("hunter2").contains("password=****");
    }

    @Test
    void shouldAcceptAReplicatedEngineAndACluster() {
        WriterSettings s = WriterSettings.fromEnv(Map.of(
                "WRITER_TABLE_ENGINE", "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/user_logins','{replica}',first_copy_version)",
                "WRITER_CLUSTER", "prod_cluster"));

        assertThat(s.cluster()).isEqualTo("prod_cluster");
        assertThat(s.tableEngine()).startsWith("ReplicatedReplacingMergeTree(");
    }

    @Test
    void shouldRejectBadValuesNamingTheVariable() {
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("WRITER_TABLE", "user_logins; DROP")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WRITER_TABLE=");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("WRITER_TABLE_ENGINE", "MergeTree")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WRITER_TABLE_ENGINE=");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("WRITER_BATCH_ROWS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WRITER_BATCH_ROWS=");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("WRITER_BATCH_MAX_WAIT", "PT0S")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WRITER_BATCH_MAX_WAIT");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("WRITER_RETRY_INITIAL", "PT10S", "WRITER_RETRY_MAX", "PT1S")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WRITER_RETRY_MAX=");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("CLICKHOUSE_URL", "127.0.0.1:8123")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLICKHOUSE_URL=");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("WRITER_CLUSTER", "a b")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WRITER_CLUSTER=");
    }

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"writer\" password=\"s3cret\";";
    private static final Map<String, String> SASL_SSL = Map.of(
            "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_CLIENT_SASL_JAAS_CONFIG", JAAS,
            "KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12");

    @Test
    void shouldGiveTheConsumerTheDlqProducerAndAdminClientsTheKafkaClientOverrides() {
        WriterSettings s = WriterSettings.fromEnv(SASL_SSL);

        for (var p : List.of(ConsumerProperties.of(s), DlqProducerProperties.of(s))) {
            assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", JAAS).containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
                    .containsEntry("bootstrap.servers", "localhost:9092");
        }
        assertThat(ConsumerProperties.of(s)).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false");
        assertThat(DlqProducerProperties.of(s)).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
    }

    @Test
    void shouldRefuseOverridesOfWhatTheWritersGuaranteesRestOn() {
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("KAFKA_CLIENT_ENABLE_AUTO_COMMIT", "true")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_CLIENT_ENABLE_AUTO_COMMIT would set enable.auto.commit");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("KAFKA_CLIENT_GROUP_ID", "other")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_CLIENT_GROUP_ID would set group.id");
    }

    @Test
    void shouldMaskKafkaAndClickHouseSecretsWhenLogged() {
        Map<String, String> env = new HashMap<>(SASL_SSL);
        env.put("CLICKHOUSE_CLIENT_KEY_STORE_PASSWORD", "k3ystore");

        String line = WriterSettings.fromEnv(env).toString();

        assertThat(line).doesNotContain("s3cret").doesNotContain("k3ystore")
                .contains("sasl.jaas.config=****").contains("key_store_password=****").contains("security.protocol=SASL_SSL");
    }

    @Test
    void shouldAcceptAnHttpsUrlButNotOneWithoutAPort() {
        assertThat(WriterSettings.fromEnv(Map.of("CLICKHOUSE_URL", "https://ch.example.com:8443/")).clickHouseUrl())
                .isEqualTo("https://ch.example.com:8443");
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("CLICKHOUSE_URL", "https://ch.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLICKHOUSE_URL=https://ch.example.com is not an HTTP endpoint with a port");
    }

    @Test
    void shouldRefuseARootCertificateThatIsNotThere() {
        assertThatThrownBy(() -> WriterSettings.fromEnv(Map.of("CLICKHOUSE_SSL_ROOT_CERT", "/nonexistent/ca.crt")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLICKHOUSE_SSL_ROOT_CERT=/nonexistent/ca.crt is not a readable file");
    }

    @Test
    void shouldBuildAnHttpsClientWithTheRootCertificateAndTheOptionsWinningOverTheTuning() throws Exception {
        String ca = Path.of(getClass().getResource("/tls/test-ca.crt").toURI()).toString();
        WriterSettings s = WriterSettings.fromEnv(Map.of("CLICKHOUSE_URL", "https://ch.example.com:8443",
                "CLICKHOUSE_SSL_ROOT_CERT", ca, "CLICKHOUSE_CLIENT_SOCKET_TIMEOUT", "30000",
                "CLICKHOUSE_CLIENT_CLICKHOUSE_SETTING_MAX_INSERT_THREADS", "2"));

        // Building connects nowhere: the client opens connections on the first request.
        try (Client client = s.clickHouseClient(builder -> builder.setSocketTimeout(120, ChronoUnit.SECONDS))) {
            assertThat(client.getEndpoints()).singleElement().asString().startsWith("https://ch.example.com:8443");
            assertThat(client.getConfiguration()).containsEntry("sslrootcert", ca).containsEntry("socket_timeout", "30000")
                    .containsEntry("clickhouse_setting_max_insert_threads", "2");
        }
    }

    @Test
    void shouldTurnAnOptionTheClientRefusesIntoAConfigurationError() {
        WriterSettings s = WriterSettings.fromEnv(Map.of("CLICKHOUSE_CLIENT_NO_SUCH_OPTION", "1"));

        assertThatThrownBy(() -> s.clickHouseClient(builder -> builder)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no_such_option").hasMessageContaining("CLICKHOUSE_CLIENT_*");
    }
}
