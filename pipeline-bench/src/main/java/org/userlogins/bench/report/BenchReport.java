package org.userlogins.bench.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one run measured; written as JSON as is and rendered as text by {@link TextReport}.
 * A run that failed has an {@code error} and null for what it did not get to measure.
 */
public record BenchReport(
        Machine machine,
        Map<String, String> serviceSettings,
        References references,
        CaptureAlone captureAlone,
        Backfill backfill,
        Streaming streaming,
        List<Series> streamingRowsPerSecond,
        List<Latency> latency,
        Soak soak,
        List<ProcessResources> resources,
        List<Series> rssMbOverTime,
        double servicesPeakRssMb,
        List<CpuUse> cpu,
        List<TargetResult> targets,
        double totalSeconds,
        String error) {

    public record Machine(String mode, String startedAt, int cores, long memoryMb, String java, String postgres, String kafka,
                          String clickhouse, String revision) {
    }

    public record Rate(long rows, double seconds, double rowsPerSecond) {
        public static Rate of(long rows, long nanos) {
            double seconds = nanos / 1e9;
            return new Rate(rows, seconds, rows / seconds);
        }
    }

    /** The machine's own limits for the same rows, measured in the same run with no service running. */
    public record References(Rate postgresInsert, Rate logicalDecoding, Rate kafkaProducer, Rate clickHouseInsert) {
    }

    /**
     * cdc-capture by itself (PostgreSQL to acknowledged in Kafka, flags written; the backlog's clock
     * from its launch) beside Debezium's engine with a no-op handler on the same rows, and on rows
     * flagged right after their insert (the slot then decodes each row twice, as capture's does).
     */
    public record CaptureAlone(Rate noOpBacklog, Rate noOpStreaming, Rate noOpStreamingFlagged, Rate backlog, Rate streaming,
                               double startupSeconds, double peakRssMb) {
        public double backlogShare() {
            return backlog.rowsPerSecond() / noOpBacklog.rowsPerSecond();
        }

        public double streamingShare() {
            return streaming.rowsPerSecond() / noOpStreaming.rowsPerSecond();
        }
    }

    /** Rows already in PostgreSQL, unsent; the clock runs from launching the services until all are stored and flagged. */
    public record Backfill(long rows, double startupSeconds, double seconds, double rowsPerSecond) {
    }

    /** Inserts flat out for the phase, then waits for the backlog to drain; the rate counts both. */
    public record Streaming(long inserted, double phaseSeconds, double insertRowsPerSecond, long deliveredDuringPhase,
                            long backlogAtEnd, double drainSeconds, double rowsPerSecond) {
    }

    /** {@code insertsPerSecond}: ClickHouse's INSERT queries per second in the phase (a part each); {@code activeParts} after it. */
    public record Latency(int targetRate, long achievedRate, long rows, long p50Ms, long p95Ms, long p99Ms, long maxMs,
                          double insertsPerSecond, long activeParts) {
    }

    /**
     * The optional soak: a fixed rate for minutes, the table's active parts sampled every 15 s, and
     * what ClickHouse did about parts: inserts it delayed, inserts it refused with TOO_MANY_PARTS.
     */
    public record Soak(int targetRate, long achievedRate, double seconds, long rows, long p50Ms, long p99Ms, double insertsPerSecond,
                       List<Long> activeParts, long delayedInserts, long tooManyPartsErrors) {
        public long partsMaxFirstHalf() {
            return activeParts.subList(0, activeParts.size() / 2).stream().mapToLong(Long::longValue).max().orElse(0);
        }

        public long partsMaxSecondHalf() {
            return activeParts.subList(activeParts.size() / 2, activeParts.size()).stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /**
         * Flat: merges keep up, so the second half's peak is no higher than the first half's, give or take
         * a merge's worth (a quarter, or 5 parts at small counts); a backlog of merges climbs instead.
         */
        public boolean partsFlat() {
            long first = partsMaxFirstHalf();
            return partsMaxSecondHalf() <= Math.max(first + 5, first * 5 / 4);
        }
    }

    /**
     * A figure sampled at a fixed interval from the start of what was sampled: a stage's rows per
     * second, a process's RSS. Written for {@link SvgReport} to draw over time.
     */
    public record Series(String name, double intervalSeconds, List<Long> values) {
    }

    public record ProcessResources(String name, long pid, double peakRssMb, double steadyRssMb, double peakCpuPercent,
                                   double steadyCpuPercent, int samples) {
    }

    /** CPU milliseconds per 1,000 rows of a phase, per process (services and servers). */
    public record CpuUse(String phase, long rows, Map<String, Double> msPer1000Rows) {
    }

    public record TargetResult(String target, String measured, boolean met) {
    }
}
