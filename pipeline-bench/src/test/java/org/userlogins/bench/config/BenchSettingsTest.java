package org.userlogins.bench.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.ConfigException;

class BenchSettingsTest {
    @Test
    void shouldRunTheIssuesSizesByDefaultAndTheSmallOnesWithQuick() {
        BenchSettings full = BenchSettings.fromArgs(new String[0], Map.of());
        BenchSettings quick = BenchSettings.fromArgs(new String[] {"--quick", "--report", "/tmp/r.json"}, Map.of());

        assertThat(full.rows()).isEqualTo(1_000_000);
        assertThat(full.phase()).isEqualTo(Duration.ofSeconds(60));
        assertThat(quick.rows()).isEqualTo(100_000);
        assertThat(quick.phase()).isEqualTo(Duration.ofSeconds(10));
        assertThat(quick.report()).isEqualTo(Path.of("/tmp/r.json"));
        assertThat(quick.latencyRates()).containsExactly(100, 1_000, 10_000);
        assertThat(full.captureOnly()).isFalse();
        assertThat(BenchSettings.fromArgs(new String[] {"--quick", "--capture"}, Map.of()).captureOnly()).isTrue();
    }

    @Test
    void shouldReportTheServiceSettingsTheCallerSetButNoSecretOrPort() {
        BenchSettings s = BenchSettings.fromArgs(new String[0], Map.of("WRITER_BATCH_ROWS", "10000", "CAPTURE_PGPASSWORD", "secret",
                "WRITER_OPS_PORT", "8083", "PGDATABASE", "pipeline_bench"));

        assertThat(s.serviceOverrides()).containsExactly(Map.entry("WRITER_BATCH_ROWS", "10000"));
        assertThat(s.pgDatabase()).isEqualTo("pipeline_bench");
    }

    @Test
    void shouldRejectAnUnknownOptionAndAJfrTargetThatIsNotAService() {
        assertThatThrownBy(() -> BenchSettings.fromArgs(new String[] {"--fast"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--fast");
        assertThatThrownBy(() -> BenchSettings.fromArgs(new String[0], Map.of("BENCH_JFR", "kafka")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BENCH_JFR");
    }
}
