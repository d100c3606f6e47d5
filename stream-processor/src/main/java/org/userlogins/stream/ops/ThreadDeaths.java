package org.userlogins.stream.ops;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The stream thread's recent deaths. One death is replaced and forgotten; a thread that keeps dying
 * (a poison record, internal topics that no longer fit the input) is replaced in a loop while Kafka
 * Streams still says RUNNING between deaths, so /health must say it from the deaths themselves.
 */
public final class ThreadDeaths {
    /** This many deaths within {@link #WINDOW} make the processor unhealthy. */
    static final int LIMIT = 3;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Deque<Long> times = new ArrayDeque<>();
    private String lastCause = "";

    public synchronized void died(long nowMs, Throwable cause) {
        times.addLast(nowMs);
        lastCause = String.valueOf(cause);
        forgetBefore(nowMs);
    }

    /** Null while the thread is not dying in a loop; else why /health is down. */
    public synchronized String loop(long nowMs) {
        forgetBefore(nowMs);
        if (times.size() < LIMIT) {
            return null;
        }
        return "the stream thread died " + times.size() + " times in the last " + WINDOW.toMinutes() + " min and is replaced in a loop; last: "
                + lastCause;
    }

    private void forgetBefore(long nowMs) {
        while (!times.isEmpty() && times.peekFirst() <= nowMs - WINDOW.toMillis()) {
            times.removeFirst();
        }
    }
}
