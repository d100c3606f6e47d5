package org.userlogins.bench.report;

import java.util.ArrayList;
import java.util.List;
import org.userlogins.bench.report.BenchReport.Backfill;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.References;
import org.userlogins.bench.report.BenchReport.Streaming;
import org.userlogins.bench.report.BenchReport.TargetResult;

/** The targets for this 2-core machine, each judged on the run's own figures. */
public final class Targets {
    static final long BACKFILL_ROWS = 1_000_000;
    static final double BACKFILL_SECONDS = 25;
    static final double STREAMING_SHARE_OF_DECODING = 0.5;
    static final double SERVICES_RSS_MB = 1.2 * 1024;
    static final String NOT_MEASURED = "not measured";

    private Targets() {
    }

    public static List<TargetResult> evaluate(Backfill backfill, Streaming streaming, References refs, List<Latency> latency,
                                              Double servicesPeakRssMb) {
        List<TargetResult> results = new ArrayList<>();
        String backfillTarget = "backfill of 1M rows <= 25 s";
        if (backfill == null) {
            results.add(new TargetResult(backfillTarget, NOT_MEASURED, false));
        } else {
            double secondsFor1M = BACKFILL_ROWS / backfill.rowsPerSecond();
            results.add(new TargetResult(backfillTarget, String.format("%,d rows in %.1f s = %,.0f rows/s, i.e. %.1f s for 1M",
                    backfill.rows(), backfill.seconds(), backfill.rowsPerSecond(), secondsFor1M), secondsFor1M <= BACKFILL_SECONDS));
        }
        String streamingTarget = "streaming >= 50% of PostgreSQL's logical decoding rate";
        if (streaming == null || refs.logicalDecoding() == null) {
            results.add(new TargetResult(streamingTarget, NOT_MEASURED, false));
        } else {
            double share = streaming.rowsPerSecond() / refs.logicalDecoding().rowsPerSecond();
            results.add(new TargetResult(streamingTarget, String.format("%,.0f of %,.0f rows/s = %.0f%%", streaming.rowsPerSecond(),
                    refs.logicalDecoding().rowsPerSecond(), 100 * share), share >= STREAMING_SHARE_OF_DECODING));
        }
        latencyTarget(results, latency, 1_000, 1_000);
        latencyTarget(results, latency, 10_000, 2_000);
        String memoryTarget = "the three services together <= 1.2 GB RSS";
        results.add(servicesPeakRssMb == null ? new TargetResult(memoryTarget, NOT_MEASURED, false)
                : new TargetResult(memoryTarget, String.format("peak %,.0f MB", servicesPeakRssMb), servicesPeakRssMb <= SERVICES_RSS_MB));
        return results;
    }

    private static void latencyTarget(List<TargetResult> results, List<Latency> latency, int rate, long p99LimitMs) {
        String target = String.format("p99 <= %,d ms at %,d rows/s", p99LimitMs, rate);
        Latency l = latency.stream().filter(x -> x.targetRate() == rate).findFirst().orElse(null);
        if (l == null) {
            results.add(new TargetResult(target, NOT_MEASURED, false));
            return;
        }
        String measured = String.format("p99 %,d ms (%,d rows at %,d rows/s)", l.p99Ms(), l.rows(), l.achievedRate());
        results.add(new TargetResult(target, measured, l.p99Ms() <= p99LimitMs));
    }
}
