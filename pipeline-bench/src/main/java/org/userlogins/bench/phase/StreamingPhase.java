package org.userlogins.bench.phase;

import org.userlogins.bench.load.FlatOutLoad;
import org.userlogins.bench.report.BenchReport.Streaming;

/**
 * Phase 2: client threads insert 1,000-row transactions as fast as PostgreSQL takes them for the
 * phase's length; then the backlog drains. The pipeline's rate is all inserted rows over the time
 * from the first insert until the last row is stored and flagged.
 */
public final class StreamingPhase {
    private StreamingPhase() {
    }

    public static Streaming run(PhaseContext c) throws Exception {
        long from = c.pg().maxId() + 1;
        FlatOutLoad load = new FlatOutLoad(c.ops(), c.settings().streamingThreads(), c.settings().streamingBatchRows());
        long start = System.nanoTime();
        long inserted = load.run(c.settings().phase(), () -> {
            double elapsed = PhaseContext.seconds(start, System.nanoTime());
            c.progress().show("2 streaming (insert)", load.inserted(), load.inserted() / Math.max(elapsed, 1e-3), elapsed,
                    String.format("stored %,d", c.delivery().stored(from, from + load.inserted())));
        });
        long phaseEnd = System.nanoTime();
        long to = c.pg().maxId();
        long delivered = c.delivery().stored(from, to);
        long done = c.delivery().awaitAll("2 streaming (drain)", from, to, inserted, start, c.timeout());
        c.delivery().verify("streaming", from, to, inserted);
        double phaseSeconds = PhaseContext.seconds(start, phaseEnd);
        double total = PhaseContext.seconds(start, done);
        Streaming result = new Streaming(inserted, phaseSeconds, inserted / phaseSeconds, delivered, inserted - delivered,
                PhaseContext.seconds(phaseEnd, done), inserted / total);
        c.progress().done(String.format("streaming: %,d rows inserted at %,.0f rows/s; backlog %,d at the end; all stored after %.1f s = %,.0f rows/s",
                inserted, result.insertRowsPerSecond(), result.backlogAtEnd(), total, result.rowsPerSecond()));
        return result;
    }
}
