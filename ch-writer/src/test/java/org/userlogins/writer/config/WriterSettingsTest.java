package org.userlogins.writer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
        assertThat(s.batchMaxWait()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.retryInitial()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.retryMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.opsPort()).isEqualTo(8083);
        assertThat(s.testHaltAt()).isNull();
    }

    @Test
    void shouldConfigureAReadCommittedConsumerWithoutAutoCommit() {
        var p = WriterSettings.fromEnv(Map.of("WRITER_GROUP_ID", "g1")).toConsumerProperties();

        assertThat(p).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
                .containsEntry("group.id", "g1").containsEntry("auto.offset.reset", "earliest");
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
}
