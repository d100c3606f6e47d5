package org.userlogins.writer.ops;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line every 10 s while rows flow (rows/s, batches, p99 end-to-end latency), instead of one
 * per batch: with a 0.2 s latency bound a line per batch would be 5 lines a second. Per-batch
 * lines are at DEBUG.
 */
public final class ProgressLog {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
    private static final long INTERVAL_MS = 10_000;

    private final WriterMetrics metrics;
    private final LongSupplier clock;
    private long lastAtMs;
    private double lastRows;

    public ProgressLog(WriterMetrics metrics, LongSupplier clock) {
        this.metrics = metrics;
        this.clock = clock;
        this.lastAtMs = clock.getAsLong();
    }

    public void maybeLog(int inHand) {
        long now = clock.getAsLong();
        if (now - lastAtMs < INTERVAL_MS) {
            return;
        }
        double rows = metrics.rowsInserted();
        if (rows > lastRows) {
            double perSecond = (rows - lastRows) * 1000.0 / (now - lastAtMs);
            LOG.info("inserted {} rows in the last {} s ({} rows/s, {} total); end-to-end max {} ms; {} rows in hand",
                    (long) (rows - lastRows), (now - lastAtMs) / 1000, Math.round(perSecond), (long) rows,
                    Math.round(metrics.endToEnd().max(TimeUnit.MILLISECONDS)), inHand);
        }
        lastAtMs = now;
        lastRows = rows;
    }
}
