package org.userlogins.capture.publish;

import java.time.Duration;

/**
 * Makes a graceful stop finish the batch in hand instead of interrupting it. Debezium's
 * {@code close()} interrupts the thread that runs the handler; a batch interrupted between the
 * Kafka acks and the flag would be sent again after the restart. So the service first drains:
 * the running batch completes (sent, flagged, marked), and the next batch waits here, unsent and
 * unmarked, until close() interrupts it; Debezium then delivers it again after the restart.
 */
public final class DrainGate {
    private boolean draining;
    private boolean inBatch;

    /** Called at the start of a batch; blocks forever (until interrupted) once draining. */
    public synchronized void enter() throws InterruptedException {
        while (draining) {
            wait();
        }
        inBatch = true;
    }

    public synchronized void exit() {
        inBatch = false;
        notifyAll();
    }

    /** Holds back new batches and waits for the running one; false when it did not finish in time. */
    public synchronized boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inBatch) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }
}
