package org.userlogins.capture.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds, while rows flow, one line with the rate, the progress against the backlog
 * counted at start, and the slot's lag. Silent while idle.
 */
public final class ProgressLog {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    private final CaptureMetrics metrics;
    private final long backlog;
    private long lastCount;
    private long lastNanos = System.nanoTime();

    public ProgressLog(CaptureMetrics metrics, long backlog) {
        this.metrics = metrics;
        this.backlog = backlog;
        if (backlog >= 0) {
            LOG.info("backlog at start: {} rows with sent_to_kafka FALSE or NULL", backlog);
        }
    }

    public void tick() {
        long now = System.nanoTime();
        long published = (long) metrics.published.count();
        long delta = published - lastCount;
        double seconds = (now - lastNanos) / 1e9;
        lastCount = published;
        lastNanos = now;
        if (delta == 0) {
            return;
        }
        String rate = String.format("%.1f", delta / seconds);
        long lag = metrics.replicationLagBytes.get();
        if (backlog > 0 && published <= backlog) {
            LOG.info("backlog: {} of {} rows sent and flagged ({}%), {} rows/s, slot lag {} bytes",
                    published, backlog, published * 100 / backlog, rate, lag);
        } else {
            LOG.info("streaming: {} rows in {} s ({} rows/s), {} in total, slot lag {} bytes",
                    delta, Math.round(seconds), rate, published, lag);
        }
    }
}
