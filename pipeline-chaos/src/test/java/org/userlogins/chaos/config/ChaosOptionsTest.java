package org.userlogins.chaos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;

class ChaosOptionsTest {
    private final Env env = new Env(Map.of());

    @Test
    void shouldReadDurationAndSeedWhenGiven() {
        ChaosOptions options = ChaosOptions.from(new String[] {"--duration", "2m", "--seed", "42"}, env);

        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.seed()).isEqualTo(42);
        assertThat(options.rowsPerSecond()).isEqualTo(300);
    }

    @Test
    void shouldAcceptSecondsHoursAndIsoWhenParsingDurations() {
        assertThat(ChaosOptions.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ChaosOptions.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ChaosOptions.parseDuration("PT10M")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldRejectWhenAnOptionIsUnknownOrMalformed() {
        assertThatThrownBy(() -> ChaosOptions.from(new String[] {"--speed", "1"}, env)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ChaosOptions.from(new String[] {"--duration", "ten"}, env)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ChaosOptions.from(new String[] {"--seed"}, env)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ChaosOptions.from(new String[] {"--duration", "5s"}, env)).isInstanceOf(ConfigException.class);
    }
}
