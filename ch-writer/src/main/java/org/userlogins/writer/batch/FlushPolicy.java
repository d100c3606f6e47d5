package org.userlogins.writer.batch;

import java.time.Duration;

/**
 * When a batch goes to ClickHouse:
 * <ul>
 * <li>when it holds {@code maxRows} rows or {@code maxBytes} of Kafka values (so a run of large rows
 * cannot grow the heap without bound);</li>
 * <li>when no record has come for {@code quiet}: the topic is drained up to the processor's last
 * commit, and waiting longer would only add latency (the processor's output arrives in bursts, one
 * per transaction); {@link Duration#ZERO} turns this rule off. Not before the batch's
 * {@link Batch#quietFlushNotBeforeMs()}: after a flush the writer waits at least as long as that
 * flush took, so it spends at most half its time inserting on this rule. At low rates flushes are
 * short and every burst goes at once; at high rates batches grow instead of INSERTs multiplying;</li>
 * <li>when its first record has waited {@code maxWait}: the latency bound while records keep coming.</li>
 * </ul>
 * Also tells the consumer how long it may block in poll.
 */
public record FlushPolicy(int maxRows, Duration maxWait, long maxBytes, Duration quiet) {
    /** How long poll may wait when the batch is empty: new records end the poll at once anyway. */
    static final long IDLE_POLL_MS = 1000;
    /** 16 MiB: ~64,000 typical rows of ~250 bytes, or 16 rows at the processor's 1 MiB message cap. */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    /** Size and age rules only. */
    public FlushPolicy(int maxRows, Duration maxWait) {
        this(maxRows, maxWait, DEFAULT_MAX_BYTES);
    }

    /** Size, bytes and age rules only. */
    public FlushPolicy(int maxRows, Duration maxWait, long maxBytes) {
        this(maxRows, maxWait, maxBytes, Duration.ZERO);
    }

    public boolean shouldFlush(Batch batch, long nowMs) {
        return batch.size() >= maxRows || batch.bytes() >= maxBytes
                || (batch.hasWork() && nowMs >= flushDueAtMs(batch));
    }

    public Duration pollTimeout(Batch batch, long nowMs) {
        if (!batch.hasWork()) {
            return Duration.ofMillis(IDLE_POLL_MS);
        }
        return Duration.ofMillis(Math.max(0, flushDueAtMs(batch) - nowMs));
    }

    /** The earlier of the age bound and the end of the quiet gap after the last record (not before the batch allows it). */
    private long flushDueAtMs(Batch batch) {
        long byAge = batch.startedAtMs() + maxWait.toMillis();
        if (quiet.isZero()) {
            return byAge;
        }
        long byQuiet = Math.max(batch.lastRecordAtMs() + quiet.toMillis(), batch.quietFlushNotBeforeMs());
        return Math.min(byAge, byQuiet);
    }
}
