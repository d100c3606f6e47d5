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
                drained.set(gate.drain(Duration.ofSeconds(10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> drained.get() == null);

        gate.exit();
        stopper.join(5000);
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
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> nextBatch.get() == null);
        engine.interrupt();
        engine.join(5000);
        assertThat(nextBatch.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void shouldReportWhenTheBatchInHandDoesNotFinishInTime() throws InterruptedException {
        gate.enter();
        assertThat(gate.drain(Duration.ofMillis(50))).isFalse();
    }
}
