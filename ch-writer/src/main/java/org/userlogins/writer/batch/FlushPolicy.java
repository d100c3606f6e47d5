package org.userlogins.writer.batch;

import java.time.Duration;

/**
 * When a batch goes to ClickHouse: when it holds {@code maxRows} rows, or when its first record has
 * waited {@code maxWait} (the latency bound). Also tells the consumer how long it may block in poll.
 */
public record FlushPolicy(int maxRows, Duration maxWait) {
    /** How long poll may wait when the batch is empty: new records end the poll at once anyway. */
    static final long IDLE_POLL_MS = 1000;

    public boolean shouldFlush(Batch batch, long nowMs) {
        return batch.size() >= maxRows || (batch.hasWork() && nowMs - batch.startedAtMs() >= maxWait.toMillis());
    }

    public Duration pollTimeout(Batch batch, long nowMs) {
        if (!batch.hasWork()) {
            return Duration.ofMillis(IDLE_POLL_MS);
        }
        long left = batch.startedAtMs() + maxWait.toMillis() - nowMs;
        return Duration.ofMillis(Math.max(0, left));
    }
}
