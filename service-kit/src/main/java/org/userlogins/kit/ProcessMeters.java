package org.userlogins.kit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every service's process exposes beside its own meters: heap and GC, CPU, start time (a
 * restart shows as a new {@code process_start_time_seconds}, which the restart alert counts) and
 * the resident set, which the dashboard sets against the in-flight caps.
 */
public final class ProcessMeters {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_BYTES = 4096;

    private ProcessMeters() {
    }

    public static void bindTo(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Lives as long as the process; its listeners go with it.
        @SuppressWarnings("resource")
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        if (Files.isReadable(STATM)) {
            Gauge.builder("process.resident.memory", ProcessMeters::residentBytes)
                    .description("resident set size of the process (heap, metaspace, threads, direct buffers, code)")
                    .baseUnit("bytes").register(registry);
        }
    }

    /** The second field of /proc/self/statm: resident pages. NaN when it cannot be read. */
    static double residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_BYTES;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
