package org.userlogins.capture.publish;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a transient failure with exponential backoff (capped) until a deadline; then, or at once
 * for a failure that is not transient, it throws, which stops the engine without marking anything
 * processed. Reports each retry so health and metrics can show it.
 */
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final Duration timeout;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Consumer<String> onRetry;

    public Retrier(Duration timeout, Duration firstBackoff, Duration maxBackoff, Consumer<String> onRetry) {
        this.timeout = timeout;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.onRetry = onRetry;
    }

    /**
     * A failure that only waits on someone else, such as rows another session keeps locked: it is
     * retried for as long as it lasts (a deadline would turn a long transaction elsewhere into a
     * crash loop here), and reported at every retry.
     */
    public interface Waiting {
    }

    /** An action that may fail; checked exceptions allowed. */
    public interface Action {
        void run() throws Exception;
    }

    public void run(String what, Predicate<Throwable> isTransient, Action action) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMs = firstBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                if (attempt > 1) {
                    LOG.info("{} succeeded after {} attempts", what, attempt);
                }
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                boolean waiting = e instanceof Waiting;
                if (!waiting && !isTransient.test(e)) {
                    throw new CaptureFailedException(what + " failed and is not retriable: " + e, e);
                }
                if (!waiting && System.nanoTime() + backoffMs * 1_000_000L > deadline) {
                    throw new CaptureFailedException(what + " still failing after " + attempt + " attempts in "
                            + timeout.toSeconds() + "s: " + e, e);
                }
                LOG.warn("{} failed (attempt {}), retrying in {} ms: {}", what, attempt, backoffMs, e.toString());
                onRetry.accept(what + " failing: " + e.getMessage());
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, maxBackoff.toMillis());
            }
        }
    }

    /** Thrown out of the handler: the engine stops, the process exits non-zero, the supervisor restarts it. */
    public static final class CaptureFailedException extends RuntimeException {
        public CaptureFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
