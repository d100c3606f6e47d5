package org.userlogins.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;

class OpsSettingsTest {
    private static OpsSettings settings(Map<String, String> env) {
        return OpsSettings.fromEnv(new Env(env));
    }

    @Test
    void shouldConnectToPostgresWithTheCredentialsAndTlsButKeepTheUrlBare() {
        OpsSettings s = settings(Map.of("PGHOST", "db", "PGUSER", "ops", "PGPASSWORD", "pw", "PGSSLMODE", "require"));

        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/pipeline");
        assertThat(s.jdbcProperties()).containsEntry("user", "ops").containsEntry("password", "pw").containsEntry("sslmode", "require");
        assertThat(settings(Map.of()).jdbcProperties()).containsEntry("sslmode", "prefer").doesNotContainKey("sslrootcert");
    }

    @Test
    void shouldReadTheKafkaOverridesAndRefuseOwnedOnes() {
        assertThat(settings(Map.of("KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL")).kafkaClient().properties())
                .containsExactly(Map.entry("security.protocol", "SSL"));
        assertThatThrownBy(() -> settings(Map.of("KAFKA_CLIENT_BOOTSTRAP_SERVERS", "k:9093"))).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("use KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldRefuseAnUnknownSslModeNamingTheVariable() {
        assertThatThrownBy(() -> settings(Map.of("PGSSLMODE", "verify"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("PGSSLMODE=verify is not an SSL mode");
    }
}
