package org.userlogins.writer.consume;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.userlogins.writer.batch.Backoff;

/** When the failing batch is tried again: counts failed attempts and applies the backoff. */
final class RetrySchedule {
    private final Backoff backoff;
    private final LongSupplier clock;
    private int failedAttempts;
    private long nextAttemptAtMs;

    RetrySchedule(Backoff backoff, LongSupplier clock) {
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Records a failed attempt; returns the wait before the next one. */
    Duration failed() {
        return failed(null);
    }

    /** The same, the wait at most {@code cap} (null: the backoff's own maximum). */
    Duration failed(Duration cap) {
        failedAttempts++;
        Duration backedOff = backoff.delayAfter(failedAttempts);
        Duration delay = cap != null && backedOff.compareTo(cap) > 0 ? cap : backedOff;
        nextAttemptAtMs = clock.getAsLong() + delay.toMillis();
        return delay;
    }

    boolean active() {
        return failedAttempts > 0;
    }

    boolean due() {
        return clock.getAsLong() >= nextAttemptAtMs;
    }

    long millisUntilDue(long atMost) {
        return Math.min(atMost, Math.max(0, nextAttemptAtMs - clock.getAsLong()));
    }

    int attempts() {
        return failedAttempts;
    }

    void reset() {
        failedAttempts = 0;
    }
}
