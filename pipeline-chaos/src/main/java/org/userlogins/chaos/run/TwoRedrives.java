package org.userlogins.chaos.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.userlogins.chaos.control.StackControl;

/**
 * Two {@code ./pipeline redrive} runs started together, as two operators (or a retried cron job)
 * would. One may stop early, fenced by the other (it says so and exits non-zero); what matters is
 * the DLQ afterwards: each record re-driven once, which the verification reads by its attempt.
 */
final class TwoRedrives {
    private final StackControl control;

    TwoRedrives(StackControl control) {
        this.control = control;
    }

    /** Waits (at most 90 s) until {@code somethingToRedrive}, then starts both runs and waits for them. */
    String run(BooleanSupplier somethingToRedrive) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!somethingToRedrive.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return "nothing in the DLQ to re-drive after 90 s";
            }
            Thread.sleep(1000); // polling the DLQ: no event to wait on
        }
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> control.run("redrive"));
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> control.run("redrive"));
        return "redrive runs exited " + outcome(first.join()) + " and " + outcome(second.join()) + " (see the control log)";
    }

    private static String outcome(boolean ok) {
        return ok ? "0" : "non-zero";
    }
}
