package org.userlogins.writer.consume;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.sink.InsertException;

/**
 * {@link WriterMode#RETRYING}: ClickHouse or Kafka failed transiently. Every partition is paused (nothing new
 * is fetched, so memory stays bounded) but poll() is still called so the consumer keeps its group
 * membership; the same batch is tried again with the same tokens when the backoff is due.
 */
final class Retrying {
    private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);
    static final long MAX_PAUSED_POLL_MS = 1000;

    private final WriterState state;

    Retrying(WriterState state) {
        this.state = state;
    }

    WriterMode step() throws InsertException {
        state.consumer.pause(state.consumer.assignment()); // also what was assigned during the wait
        state.recovery.restartClock(); // no range can be read while paused: that time is not reading time
        state.poll(java.time.Duration.ofMillis(state.retry.millisUntilDue(MAX_PAUSED_POLL_MS)));
        if (!state.retry.due() || !state.flush()) {
            return WriterMode.RETRYING;
        }
        LOG.info("the batch was stored and committed after {} failed attempts; resuming consumption", state.retry.attempts());
        state.retry.reset();
        state.status.running();
        // Ranges read in full were in the batch just stored; one assigned during the wait is still to read.
        state.recovery.finished(state.recovery.complete(state.consumer));
        state.consumer.resume(state.consumer.paused());
        state.pausedForRecovery.clear();
        return state.recovery.active() ? WriterMode.RECOVERING : WriterMode.BATCHING;
    }
}
