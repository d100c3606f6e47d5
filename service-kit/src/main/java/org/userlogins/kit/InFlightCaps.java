package org.userlogins.kit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The most a service holds in memory of the data passing through it, in bytes, part by part (a
 * fetch buffer, a queue, a batch, a producer buffer), as its settings bound them. The heap needs
 * this much room on top of the service's own baseline. Published as the gauge
 * {@code pipeline_inflight_cap_bytes{part}}, which {@code ./pipeline status} sums beside the RSS.
 */
public record InFlightCaps(Map<String, Long> parts) {
    public static final String METRIC = "pipeline.inflight.cap.bytes";

    public InFlightCaps {
        parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    public static Builder builder() {
        return new Builder();
    }

    public long total() {
        return parts.values().stream().mapToLong(Long::longValue).sum();
    }

    public void register(MeterRegistry registry) {
        parts.forEach((part, bytes) -> Gauge.builder(METRIC, () -> bytes)
                .description("the most this service holds in memory of in-flight data, by part, as its settings bound it")
                .tag("part", part).baseUnit("bytes").register(registry));
    }

    /** For the start-up log line: {@code queue 16 MiB + batch 16 MiB = 32 MiB}. */
    public String describe() {
        return parts.entrySet().stream().map(e -> e.getKey() + " " + mib(e.getValue())).collect(Collectors.joining(" + "))
                + " = " + mib(total());
    }

    static String mib(long bytes) {
        double value = bytes / (1024.0 * 1024.0);
        return value == Math.rint(value) ? String.format("%d MiB", (long) value) : String.format("%.1f MiB", value);
    }

    /** Parts in the order they are added. */
    public static final class Builder {
        private final Map<String, Long> parts = new LinkedHashMap<>();

        public Builder part(String name, long bytes) {
            parts.merge(name, bytes, Long::sum);
            return this;
        }

        public InFlightCaps build() {
            return new InFlightCaps(parts);
        }
    }
}
