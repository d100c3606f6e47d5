package org.userlogins.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.userlogins.ops.OpsSettings;

/** Inserts as fast as PostgreSQL takes them: N client threads, each committing batches of B rows. */
public final class FlatOutLoad {
    private final OpsSettings settings;
    private final int threads;
    private final int batchRows;
    private final AtomicLong inserted = new AtomicLong();

    public FlatOutLoad(OpsSettings settings, int threads, int batchRows) {
        this.settings = settings;
        this.threads = threads;
        this.batchRows = batchRows;
    }

    /** Runs for {@code duration}; {@code tick} is called every ~200 ms from the calling thread. */
    public long run(Duration duration, Runnable tick) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try (Postgres pg = Postgres.connect(settings)) {
                    while (System.nanoTime() < deadline) {
                        pg.insert(batchRows, false);
                        inserted.addAndGet(batchRows);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "insert-" + i);
            t.start();
            workers.add(t);
        }
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            tick.run();
            Thread.sleep(200);
        }
        for (Thread t : workers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return inserted.get();
    }

    public long inserted() {
        return inserted.get();
    }
}
