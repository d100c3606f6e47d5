package org.userlogins.bench.report;

import java.util.ArrayList;
import java.util.List;
import org.userlogins.bench.report.BenchReport.Backfill;
import org.userlogins.bench.report.BenchReport.CaptureAlone;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.bench.report.BenchReport.References;
import org.userlogins.bench.report.BenchReport.Streaming;
import org.userlogins.bench.report.BenchReport.TargetResult;

/**
 * Issue 16's targets for this 2-core machine, each judged on the run's own figures: rates as
 * shares of Debezium's no-op engine measured in the same run, so a slower machine or a noisy
 * neighbour moves both sides.
 */
public final class Targets {
    static final long BACKFILL_ROWS = 1_000_000;
    static final double BACKFILL_SECONDS = 20;
    static final double STREAMING_SHARE_OF_NO_OP = 0.6;
    static final double SERVICES_RSS_MB = 1024;
    static final String NOT_MEASURED = "not measured";
    static final double CAPTURE_SHARE_OF_NO_OP = 0.75;
    static final double CAPTURE_RSS_MB = 400;

    private Targets() {
    }

    public static List<TargetResult> evaluate(Backfill backfill, Streaming streaming, CaptureAlone capture, List<Latency> latency,
                                              Double servicesPeakRssMb) {
        List<TargetResult> results = new ArrayList<>();
        String backfillTarget = "backfill of 1M rows <= 20 s";
        if (backfill == null) {
            results.add(new TargetResult(backfillTarget, NOT_MEASURED, false));
        } else {
            double secondsFor1M = BACKFILL_ROWS / backfill.rowsPerSecond();
            results.add(new TargetResult(backfillTarget, String.format("%,d rows in %.1f s = %,.0f rows/s, i.e. %.1f s for 1M",
                    backfill.rows(), backfill.seconds(), backfill.rowsPerSecond(), secondsFor1M), secondsFor1M <= BACKFILL_SECONDS));
        }
        String streamingTarget = "streaming >= 60% of Debezium's no-op streaming rate";
        if (streaming == null || capture == null) {
            results.add(new TargetResult(streamingTarget, NOT_MEASURED, false));
        } else {
            double share = streaming.rowsPerSecond() / capture.noOpStreaming().rowsPerSecond();
            results.add(new TargetResult(streamingTarget, String.format("%,.0f of %,.0f rows/s = %.0f%%", streaming.rowsPerSecond(),
                    capture.noOpStreaming().rowsPerSecond(), 100 * share), share >= STREAMING_SHARE_OF_NO_OP));
        }
        results.addAll(latency(latency));
        String memoryTarget = "the three services together <= 1.0 GB RSS";
        results.add(servicesPeakRssMb == null ? new TargetResult(memoryTarget, NOT_MEASURED, false)
                : new TargetResult(memoryTarget, String.format("peak %,.0f MB", servicesPeakRssMb), servicesPeakRssMb <= SERVICES_RSS_MB));
        return results;
    }

    /** Capture at least 75% of Debezium's no-op rate, backlog and streaming, with RSS under 400 MB. */
    public static List<TargetResult> capture(CaptureAlone c) {
        String backlog = "capture backlog >= 75% of Debezium's no-op rate";
        String streaming = "capture streaming >= 75% of Debezium's no-op rate";
        String memory = "capture RSS < 400 MB";
        if (c == null) {
            return List.of(new TargetResult(backlog, NOT_MEASURED, false), new TargetResult(streaming, NOT_MEASURED, false),
                    new TargetResult(memory, NOT_MEASURED, false));
        }
        return List.of(
                new TargetResult(backlog, share(c.backlog(), c.noOpBacklog()), c.backlogShare() >= CAPTURE_SHARE_OF_NO_OP),
                new TargetResult(streaming, share(c.streaming(), c.noOpStreaming()), c.streamingShare() >= CAPTURE_SHARE_OF_NO_OP),
                new TargetResult(memory, String.format("peak %,.0f MB", c.peakRssMb()), c.peakRssMb() < CAPTURE_RSS_MB));
    }

    private static String share(Rate measured, Rate reference) {
        return String.format("%,.0f of %,.0f rows/s = %.0f%%", measured.rowsPerSecond(), reference.rowsPerSecond(),
                100 * measured.rowsPerSecond() / reference.rowsPerSecond());
    }

    /** Over the soak, merges absorb the inserts' parts: the count stays flat and no insert is refused for it. */
    public static TargetResult soak(BenchReport.Soak s) {
        return new TargetResult(String.format("parts flat over the %.0f-minute soak, no TOO_MANY_PARTS", s.seconds() / 60),
                String.format("%.1f inserts/s; active parts max %,d then %,d; %,d delayed, %,d refused", s.insertsPerSecond(),
                        s.partsMaxFirstHalf(), s.partsMaxSecondHalf(), s.delayedInserts(), s.tooManyPartsErrors()),
                s.partsFlat() && s.tooManyPartsErrors() == 0);
    }

    /** p99 at most 300 ms at 1,000 rows/s and 500 ms at 10,000 rows/s. */
    public static List<TargetResult> latency(List<Latency> latency) {
        List<TargetResult> results = new ArrayList<>();
        latencyTarget(results, latency, 1_000, 300);
        latencyTarget(results, latency, 10_000, 500);
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
