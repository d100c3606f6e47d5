package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresTlsTest {
    @TempDir
    Path dir;

    @Test
    void shouldPreferTlsWithoutVerifyingByDefaultAsPgjdbcAndDebeziumDo() {
        PostgresTls tls = PostgresTls.fromEnv(new Env(Map.of()));

        assertThat(tls).isEqualTo(new PostgresTls("prefer", null, null, null));
        assertThat(tls.jdbcProperties()).containsExactly(Map.entry("sslmode", "prefer"));
        assertThat(tls.jdbcUrlParameters()).isEqualTo("sslmode=prefer");
    }

    @Test
    void shouldPassTheModeAndTheFilesUnderPgjdbcsNames() throws Exception {
        Path ca = Files.writeString(dir.resolve("root ca.crt"), "ca");
        Path cert = Files.writeString(dir.resolve("client.crt"), "cert");
        Path key = Files.writeString(dir.resolve("client.pk8"), "key");

        PostgresTls tls = PostgresTls.fromEnv(new Env(Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", ca.toString(),
                "PGSSLCERT", cert.toString(), "PGSSLKEY", key.toString())));

        assertThat(tls.jdbcProperties()).containsExactly(Map.entry("sslmode", "verify-full"), Map.entry("sslrootcert", ca.toString()),
                Map.entry("sslcert", cert.toString()), Map.entry("sslkey", key.toString()));
        assertThat(tls.jdbcUrlParameters()).startsWith("sslmode=verify-full&sslrootcert=").contains("root+ca.crt").doesNotContain(" ");
    }

    @Test
    void shouldRefuseAnUnknownModeAndAMissingFileNamingTheVariable() {
        assertThatThrownBy(() -> PostgresTls.fromEnv(new Env(Map.of("PGSSLMODE", "on")))).isInstanceOf(ConfigException.class)
                .hasMessage("PGSSLMODE=on is not an SSL mode; use one of disable, allow, prefer, require, verify-ca, verify-full");
        assertThatThrownBy(() -> PostgresTls.fromEnv(new Env(Map.of("PGSSLROOTCERT", dir.resolve("missing.crt").toString()))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("PGSSLROOTCERT=").hasMessageContaining("is not a readable file");
    }
}
