package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvTest {

    @Test
    void shouldUseTheDefaultWhenTheVariableIsMissingOrBlank() {
        Env env = new Env(Map.of("BLANK", "  "));

        assertThat(env.string("MISSING", "d")).isEqualTo("d");
        assertThat(env.string("BLANK", "d")).isEqualTo("d");
        assertThat(env.integer("MISSING", 5, 1, 10)).isEqualTo(5);
    }

    @Test
    void shouldNameTheVariableAndTheAcceptedRangeWhenANumberIsWrong() {
        Env env = new Env(Map.of("BATCH", "abc", "BIG", "99"));

        assertThatThrownBy(() -> env.integer("BATCH", 5, 1, 10)).isInstanceOf(ConfigException.class)
                .hasMessage("BATCH=abc is not a whole number; use one from 1 to 10");
        assertThatThrownBy(() -> env.integer("BIG", 5, 1, 10)).hasMessageContaining("BIG=99 is out of range");
    }

    @Test
    void shouldReadDurationsAsIsoOrMilliseconds() {
        Env env = new Env(Map.of("A", "PT5S", "B", "250", "C", "soon"));

        assertThat(env.duration("A", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
        assertThat(env.duration("B", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> env.duration("C", Duration.ZERO)).hasMessageContaining("C=soon is not a duration");
    }

    @Test
    void shouldRefuseIdentifiersAndTopicsThatCouldInjectSql() {
        Env env = new Env(Map.of("DB", "x; DROP TABLE y", "TOPIC", "a b"));

        assertThatThrownBy(() -> env.identifier("DB", "d")).hasMessageContaining("DB=x; DROP TABLE y is not a valid identifier");
        assertThatThrownBy(() -> env.topic("TOPIC", "t")).hasMessageContaining("TOPIC=a b is not a valid topic name");
        assertThat(env.identifier("OTHER", "user_logins")).isEqualTo("user_logins");
    }

    @Test
    void shouldKeepAnEmptySecretAndRequireMissingRequiredValues() {
        Env env = new Env(Map.of("PASSWORD", ""));

        assertThat(env.secret("PASSWORD", "x")).isEmpty();
        assertThatThrownBy(() -> env.required("URL")).hasMessageStartingWith("URL is not set");
    }

    @Test
    void shouldListTheVariablesWithAPrefixByTheRestOfTheirNameSkippingBlankOnes() {
        Env env = new Env(Map.of("KAFKA_CLIENT_B", " 2 ", "KAFKA_CLIENT_A", "1", "KAFKA_CLIENT_C", " ", "KAFKA_BOOTSTRAP_SERVERS", "k"));

        assertThat(env.withPrefix("KAFKA_CLIENT_")).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"));
    }

    @Test
    void shouldAcceptAReadableFileAndNameTheVariableOfAMissingOne(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
        Env env = new Env(Map.of("CA", ca.toString(), "GONE", dir.resolve("gone.crt").toString()));

        assertThat(env.readableFile("CA")).isEqualTo(ca.toString());
        assertThat(env.readableFile("UNSET")).isNull();
        assertThatThrownBy(() -> env.readableFile("GONE")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("GONE=" + dir.resolve("gone.crt") + " is not a readable file");
    }
}
