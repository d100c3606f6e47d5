package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickHouseClientOptionsTest {
    private static ClickHouseClientOptions options(Map<String, String> env) {
        return ClickHouseClientOptions.fromEnv(new Env(env));
    }

    @Test
    void shouldTurnEachVariableIntoTheLowerCaseOptionKeepingUnderscores() {
        ClickHouseClientOptions o = options(Map.of(
                "CLICKHOUSE_CLIENT_SSLCERT", "/etc/ch/client.crt",
                "CLICKHOUSE_CLIENT_SSL_KEY", "/etc/ch/client.key",
                "CLICKHOUSE_CLIENT_CLICKHOUSE_SETTING_MAX_INSERT_THREADS", "2",
                "CLICKHOUSE_URL", "https://ch:8443"));

        assertThat(o.options()).containsExactly(
                Map.entry("clickhouse_setting_max_insert_threads", "2"),
                Map.entry("ssl_key", "/etc/ch/client.key"),
                Map.entry("sslcert", "/etc/ch/client.crt"));
        assertThat(options(Map.of())).isEqualTo(ClickHouseClientOptions.NONE);
    }

    @Test
    void shouldRefuseCredentialsTheRootCertificateAndInsertSettingsTheWriterReliesOn() {
        assertThatThrownBy(() -> options(Map.of("CLICKHOUSE_CLIENT_PASSWORD", "x"))).isInstanceOf(ConfigException.class)
                .hasMessage("CLICKHOUSE_CLIENT_PASSWORD would set password, which the pipeline sets itself; use CLICKHOUSE_PASSWORD");
        assertThatThrownBy(() -> options(Map.of("CLICKHOUSE_CLIENT_SSLROOTCERT", "/ca.crt"))).hasMessageEndingWith("use CLICKHOUSE_SSL_ROOT_CERT");
        assertThatThrownBy(() -> options(Map.of("CLICKHOUSE_CLIENT_CLICKHOUSE_SETTING_ASYNC_INSERT", "1")))
                .hasMessageStartingWith("CLICKHOUSE_CLIENT_CLICKHOUSE_SETTING_ASYNC_INSERT would set clickhouse_setting_async_insert");
        assertThatThrownBy(() -> options(Map.of("CLICKHOUSE_CLIENT_", "x"))).hasMessageStartingWith("CLICKHOUSE_CLIENT_ is not a ClickHouse client option");
    }

    @Test
    void shouldMaskSecretOptionsWhenPrinted() {
        ClickHouseClientOptions o = options(Map.of("CLICKHOUSE_CLIENT_KEY_STORE_PASSWORD", "k3y", "CLICKHOUSE_CLIENT_SSL_KEY", "/k.pem",
                "CLICKHOUSE_CLIENT_ACCESS_TOKEN", "t0k"));

        assertThat(o.toString()).isEqualTo("{access_token=****, key_store_password=****, ssl_key=/k.pem}");
    }
}
