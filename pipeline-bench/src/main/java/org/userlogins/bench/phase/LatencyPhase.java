package org.userlogins.bench.phase;

import java.time.Duration;
import java.util.function.Supplier;
import org.userlogins.bench.load.PacedLoad;
import org.userlogins.bench.report.BenchReport.Latency;

/**
 * Phase 3, once per rate: inserts paced at the rate in small transactions for the phase's length,
 * waits until all arrived, then takes the per-row latency from the lineage columns: PostgreSQL
 * commit time (carried by capture) to ClickHouse's insert time.
 */
public final class LatencyPhase {
    private LatencyPhase() {
    }

    public static Latency run(PhaseContext c, int rate) throws Exception {
        String phase = String.format("3 latency %,d/s", rate);
        Latency l = measure(c, rate, c.settings().phase(), phase, () -> "").latency();
        c.progress().done(String.format("latency at %,d rows/s (achieved %,d): p50 %,d ms, p95 %,d ms, p99 %,d ms, max %,d ms over %,d rows; "
                + "%.1f inserts/s into ClickHouse, %,d active parts after", rate, l.achievedRate(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs(),
                l.rows(), l.insertsPerSecond(), l.activeParts()));
        return l;
    }

    /**
     * Inserts at {@code rate} for {@code length}, waits until every row arrived exactly once, and
     * measures: the latency percentiles, ClickHouse's INSERTs per second until the last row arrived,
     * the active parts after; and the seconds from the first insert until the last row arrived.
     * {@code eachTick} runs on the load's progress ticks (every 200 ms) and returns a note for the
     * progress line.
     */
    static Measured measure(PhaseContext c, int rate, Duration length, String phase, Supplier<String> eachTick) throws Exception {
        long from = c.pg().maxId() + 1;
        PacedLoad load = new PacedLoad(c.ops(), rate);
        long insertsBefore = c.delivery().insertQueries();
        long start = System.nanoTime();
        long inserted = load.run(length, () -> {
            String note = eachTick.get();
            double elapsed = PhaseContext.seconds(start, System.nanoTime());
            c.progress().show(phase, load.inserted(), load.inserted() / Math.max(elapsed, 1e-3), elapsed, note);
        });
        double achieved = inserted / PhaseContext.seconds(start, System.nanoTime());
        long to = c.pg().maxId();
        long done = c.delivery().awaitAll(phase + " (drain)", from, to, inserted, start, c.timeout());
        double seconds = PhaseContext.seconds(start, done);
        double insertsPerSecond = (c.delivery().insertQueries() - insertsBefore) / seconds;
        c.delivery().verify(phase, from, to, inserted);
        return new Measured(c.delivery().latency(rate, achieved, from, to, insertsPerSecond, c.delivery().activeParts()), seconds);
    }

    record Measured(Latency latency, double seconds) {
    }
}
