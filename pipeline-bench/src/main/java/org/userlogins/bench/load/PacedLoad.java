package org.userlogins.bench.load;

import java.time.Duration;
import org.userlogins.ops.OpsSettings;

/**
 * Inserts at a fixed rate in small transactions: every 10 ms the rows due by then (rate × elapsed),
 * one transaction per tick. Behind schedule it catches up with larger transactions (at most
 * 1,000 rows), so the achieved rate is the target unless PostgreSQL cannot take it.
 */
public final class PacedLoad {
    private static final long TICK_NANOS = 10_000_000;
    private final OpsSettings settings;
    private final int rowsPerSecond;
    private volatile long inserted;

    public PacedLoad(OpsSettings settings, int rowsPerSecond) {
        this.settings = settings;
        this.rowsPerSecond = rowsPerSecond;
    }

    public long run(Duration duration, Runnable tick) throws Exception {
        try (Postgres pg = Postgres.connect(settings)) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long nextTick = start;
            long lastReport = start;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                long due = (long) (rowsPerSecond * ((now - start) / 1e9));
                int rows = (int) Math.min(1_000, due - inserted);
                if (rows > 0) {
                    pg.insert(rows, false);
                    inserted += rows;
                }
                if (now - lastReport > 200_000_000L) {
                    tick.run();
                    lastReport = now;
                }
                nextTick += TICK_NANOS;
                long sleep = nextTick - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        return inserted;
    }

    public long inserted() {
        return inserted;
    }
}
