package org.userlogins.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DrainGateTest {
    private final DrainGate gate = new DrainGate();

    @Test
    void shouldWaitForTheBatchInHandAndHoldBackTheNextUntilInterrupted() throws Exception {
        gate.enter();
        AtomicReference<Boolean> drained = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                drained.set(gate.drain(Duration.ofMinutes(5)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        // Parked inside drain(), not merely not yet started: the thread's state says so at any speed.
        await().atMost(Duration.ofSeconds(60)).until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
        assertThat(drained.get()).as("drain returns only once the batch in hand exits").isNull();

        gate.exit();
        stopper.join(60_000);
        assertThat(drained.get()).isTrue();

        AtomicReference<Throwable> nextBatch = new AtomicReference<>();
        Thread engine = new Thread(() -> {
            try {
                gate.enter();
                nextBatch.set(new AssertionError("the next batch must not start while draining"));
            } catch (InterruptedException e) {
                nextBatch.set(e);
            }
        });
        engine.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.getState() == Thread.State.WAITING);
        assertThat(nextBatch.get()).as("the next batch waits while draining").isNull();
        engine.interrupt();
        engine.join(60_000);
        assertThat(nextBatch.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void shouldReportWhenTheBatchInHandDoesNotFinishInTime() throws InterruptedException {
        gate.enter();
        assertThat(gate.drain(Duration.ofMillis(50))).isFalse();
    }
}
