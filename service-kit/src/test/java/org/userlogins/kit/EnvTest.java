package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
