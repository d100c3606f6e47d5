package org.userlogins.stream.ops;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The stream thread's recent deaths. One death is replaced and forgotten; a thread that keeps dying
 * (a poison record, internal topics that no longer fit the input) is replaced in a loop while Kafka
 * Streams still says RUNNING between deaths, so /health must say it from the deaths themselves.
 */
public final class ThreadDeaths {
    /** This many deaths within {@link #WINDOW} make the processor unhealthy. */
    static final int LIMIT = 3;
    static final Duration WINDOW = Duration.ofMinutes(5);

    /** How long after a death caused by Kafka's absence /health says the processor waits for Kafka. */
    static final Duration KAFKA_WAIT_SHOWN = Duration.ofMinutes(2);

    private final Deque<Long> times = new ArrayDeque<>();
    private String lastCause = "";
    private long lastKafkaDeathMs = Long.MIN_VALUE / 2;
    private String kafkaCause = "";

    /**
     * A death whose cause is Kafka not answering in time (a commit or a send timing out while the
     * brokers are away) is a wait, not a loop: replacing the thread is all that can be done, and
     * the new one goes on once Kafka is back. Any other death counts towards the loop.
     */
    /** Records a death; true when it was one for want of Kafka (a wait, not counted towards the loop). */
    public synchronized boolean died(long nowMs, Throwable cause) {
        if (causedByKafkaAbsence(cause)) {
            lastKafkaDeathMs = nowMs;
            kafkaCause = String.valueOf(cause);
            return true;
        }
        times.addLast(nowMs);
        lastCause = String.valueOf(cause);
        forgetBefore(nowMs);
        return false;
    }

    /** Null unless a thread died for want of Kafka within {@link #KAFKA_WAIT_SHOWN}; else why. */
    public synchronized String waitingForKafka(long nowMs) {
        return nowMs - lastKafkaDeathMs < KAFKA_WAIT_SHOWN.toMillis()
                ? "a stream thread was replaced because Kafka did not answer in time; waiting for it: " + kafkaCause
                : null;
    }

    private static boolean causedByKafkaAbsence(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) { // TimeoutException, no leader, disconnected, ...
                return true;
            }
        }
        return false;
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
