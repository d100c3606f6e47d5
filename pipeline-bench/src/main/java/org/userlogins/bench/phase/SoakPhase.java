package org.userlogins.bench.phase;

import java.util.ArrayList;
import java.util.List;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.Soak;

/**
 * The optional long phase (--soak): a fixed rate for minutes, measured as a latency phase is, with
 * the table's active parts sampled as it goes. It answers what the short latency phases cannot:
 * whether ClickHouse's merges absorb the parts the writer's inserts make (a part count that keeps
 * climbing ends in delayed inserts, then TOO_MANY_PARTS).
 */
public final class SoakPhase {
    static final long SAMPLE_EVERY_NANOS = 15_000_000_000L;

    private SoakPhase() {
    }

    public static Soak run(PhaseContext c, int rate) throws Exception {
        long delayedBefore = c.delivery().delayedInserts();
        long refusedBefore = c.delivery().tooManyPartsErrors();
        List<Long> parts = new ArrayList<>();
        long[] nextSample = {System.nanoTime()};
        LatencyPhase.Measured measured = LatencyPhase.measure(c, rate, c.settings().soak(), String.format("4 soak %,d/s", rate), () -> {
            long now = System.nanoTime();
            if (now >= nextSample[0]) {
                parts.add(c.delivery().activeParts());
                nextSample[0] = now + SAMPLE_EVERY_NANOS;
            }
            return "active parts " + parts.get(parts.size() - 1);
        });
        Latency l = measured.latency();
        double seconds = measured.seconds();
        parts.add(l.activeParts());
        Soak soak = new Soak(rate, l.achievedRate(), seconds, l.rows(), l.p50Ms(), l.p99Ms(), l.insertsPerSecond(), List.copyOf(parts),
                c.delivery().delayedInserts() - delayedBefore, c.delivery().tooManyPartsErrors() - refusedBefore);
        c.progress().done(String.format("soak at %,d rows/s for %.0f s: p50 %,d ms, p99 %,d ms; %.1f inserts/s; active parts max %,d in the "
                + "first half, %,d in the second (%s); %,d delayed inserts, %,d TOO_MANY_PARTS", rate, seconds, soak.p50Ms(), soak.p99Ms(),
                soak.insertsPerSecond(), soak.partsMaxFirstHalf(), soak.partsMaxSecondHalf(), soak.partsFlat() ? "flat" : "growing",
                soak.delayedInserts(), soak.tooManyPartsErrors()));
        return soak;
    }
}
