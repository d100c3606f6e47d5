package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class InFlightCapsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void shouldSumThePartsAndDescribeThemInOrder() {
        InFlightCaps caps = InFlightCaps.builder().part("queue", 16 * MIB).part("batch", 8 * MIB).part("queue", 3 * MIB / 2).build();

        assertThat(caps.total()).isEqualTo(51 * MIB / 2);
        assertThat(caps.describe()).isEqualTo("queue 17.5 MiB + batch 8 MiB = 25.5 MiB");
    }

    @Test
    void shouldPublishOneGaugePerPartForStatus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InFlightCaps.builder().part("fetch", 4 * MIB).part("producer_buffer", MIB).build().register(registry);

        assertThat(registry.scrape()).contains("pipeline_inflight_cap_bytes{part=\"fetch\"} 4194304")
                .contains("pipeline_inflight_cap_bytes{part=\"producer_buffer\"} 1048576");
    }
}
