package org.userlogins.bench.measure;

import java.time.Duration;

/**
 * Waits until a count reaches what is expected, showing it on the progress line. Fails when the
 * count stops growing for the stall timeout, or when the check of what produces it fails.
 */
public final class CountWait {
    /** A count that may need a query to read. */
    public interface Count {
        long get() throws Exception;
    }

    /** Throws when what produces the count has died. */
    public interface Alive {
        void require() throws Exception;
    }

    private CountWait() {
    }

    /** Returns the nanoTime at which {@code count} was seen at {@code expected} or more. */
    public static long until(String phase, Count count, long expected, long startNanos, Duration stallTimeout, Alive alive,
                             Duration pollInterval, Progress progress) throws Exception {
        long last = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            alive.require();
            long n = count.get();
            long now = System.nanoTime();
            if (n >= expected) {
                return now;
            }
            if (n > last) {
                last = n;
                lastProgress = now;
            } else if (now - lastProgress > stallTimeout.toNanos()) {
                throw new IllegalStateException(String.format("%s: no progress for %d s; %,d of %,d", phase, stallTimeout.toSeconds(), n, expected));
            }
            double elapsed = (now - startNanos) / 1e9;
            progress.show(phase, n, n / Math.max(elapsed, 1e-3), elapsed, String.format("of %,d", expected));
            Thread.sleep(pollInterval.toMillis());
        }
    }
}
