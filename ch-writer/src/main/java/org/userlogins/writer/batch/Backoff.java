package org.userlogins.writer.batch;

import java.time.Duration;

/** Exponential backoff between attempts of the same insert: initial, x2 per attempt, capped at max. */
public record Backoff(Duration initial, Duration max) {
    /** The wait after failed attempt number {@code attempt} (1 = the first failure). */
    public Duration delayAfter(int attempt) {
        long millis = initial.toMillis();
        for (int i = 1; i < attempt && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
