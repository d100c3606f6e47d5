package org.userlogins.writer.consume;

import org.userlogins.writer.sink.InsertException;

/** {@link WriterMode#BATCHING}: poll, add to the batch, flush when the size, bytes or time rule says so. */
final class Batching {
    private final WriterState state;

    Batching(WriterState state) {
        this.state = state;
    }

    WriterMode step() throws InsertException {
        state.poll(state.policy.pollTimeout(state.batch, state.clock.getAsLong()));
        if (state.retry.active()) {
            return WriterMode.RETRYING; // a revoke during the poll could not store the batch
        }
        if (state.recovery.active()) {
            return WriterMode.RECOVERING; // assigned during the poll: a range to read again first
        }
        if (state.policy.shouldFlush(state.batch, state.clock.getAsLong()) && !state.flush()) {
            return WriterMode.RETRYING;
        }
        state.commitIdlePosition();
        return WriterMode.BATCHING;
    }
}
