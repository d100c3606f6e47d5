package org.userlogins.ops.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;

/** Only the client's configuration: building one connects nowhere. */
class ClickHouseProbeTest {
    @Test
    void shouldBuildAnHttpsClientWithTheRootCertificateAndTheOptions() throws Exception {
        String ca = Path.of(getClass().getResource("/tls/test-ca.crt").toURI()).toString();
        OpsSettings s = OpsSettings.fromEnv(new Env(Map.of("CLICKHOUSE_URL", "https://ch.example.com:8443",
                "CLICKHOUSE_SSL_ROOT_CERT", ca, "CLICKHOUSE_CLIENT_SOCKET_TIMEOUT", "30000")));

        try (Client client = ClickHouseProbe.client(s)) {
            assertThat(client.getEndpoints()).singleElement().asString().startsWith("https://ch.example.com:8443");
            assertThat(client.getConfiguration()).containsEntry("sslrootcert", ca).containsEntry("socket_timeout", "30000");
        }
    }

    @Test
    void shouldTurnAnOptionTheClientRefusesIntoAConfigurationError() {
        OpsSettings s = OpsSettings.fromEnv(new Env(Map.of("CLICKHOUSE_CLIENT_NO_SUCH_OPTION", "1")));

        assertThatThrownBy(() -> ClickHouseProbe.client(s)).isInstanceOf(ConfigException.class).hasMessageContaining("no_such_option");
    }
}
