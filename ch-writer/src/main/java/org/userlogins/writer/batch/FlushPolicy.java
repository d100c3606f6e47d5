package org.userlogins.writer.batch;

import java.time.Duration;

/**
 * When a batch goes to ClickHouse: when it holds {@code maxRows} rows or {@code maxBytes} of Kafka
 * values (so a run of large rows cannot grow the heap without bound), or when its first record has
 * waited {@code maxWait} (the latency bound). Also tells the consumer how long it may block in poll.
 */
public record FlushPolicy(int maxRows, Duration maxWait, long maxBytes) {
    /** How long poll may wait when the batch is empty: new records end the poll at once anyway. */
    static final long IDLE_POLL_MS = 1000;
    /** 16 MiB: ~64,000 typical rows of ~250 bytes, or 16 rows at the processor's 1 MiB message cap. */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    public FlushPolicy(int maxRows, Duration maxWait) {
        this(maxRows, maxWait, DEFAULT_MAX_BYTES);
    }

    public boolean shouldFlush(Batch batch, long nowMs) {
        return batch.size() >= maxRows || batch.bytes() >= maxBytes
                || (batch.hasWork() && nowMs - batch.startedAtMs() >= maxWait.toMillis());
    }

    public Duration pollTimeout(Batch batch, long nowMs) {
        if (!batch.hasWork()) {
            return Duration.ofMillis(IDLE_POLL_MS);
        }
        long left = batch.startedAtMs() + maxWait.toMillis() - nowMs;
        return Duration.ofMillis(Math.max(0, left));
    }
}
