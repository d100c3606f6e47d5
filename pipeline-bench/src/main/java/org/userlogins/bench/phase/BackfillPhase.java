package org.userlogins.bench.phase;

import org.userlogins.bench.pipeline.IsolatedPipeline;
import org.userlogins.bench.report.BenchReport.Backfill;

/**
 * Phase 1: N unsent rows inserted in one INSERT ... SELECT generate_series while no service runs;
 * the clock starts when the three services are launched and stops when ClickHouse holds every
 * id once (FINAL) and PostgreSQL has no row left unflagged.
 */
public final class BackfillPhase {
    private BackfillPhase() {
    }

    public static Backfill run(PhaseContext c, IsolatedPipeline pipeline) throws Exception {
        int rows = c.settings().rows();
        long from = c.pg().maxId() + 1;
        c.pg().insert(rows, false);
        long to = c.pg().maxId();
        long start = System.nanoTime();
        pipeline.start();
        long healthy = System.nanoTime();
        long done = c.delivery().awaitAll("1 backfill", from, to, rows, start, c.timeout());
        c.delivery().verify("backfill", from, to, rows);
        double seconds = PhaseContext.seconds(start, done);
        Backfill result = new Backfill(rows, PhaseContext.seconds(start, healthy), seconds, rows / seconds);
        c.progress().done(String.format("backfill: %,d rows in %.1f s = %,.0f rows/s (services healthy after %.1f s)", rows, seconds,
                result.rowsPerSecond(), result.startupSeconds()));
        return result;
    }
}
