package org.userlogins.writer.consume;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.sink.InsertException;

/**
 * {@link WriterMode#RECOVERING}: ranges recorded by a previous owner are read again. The other
 * partitions wait (the batch must not grow past its bounds) and no size or time rule flushes; once
 * every range is read, the batch goes at once, so each range is inserted exactly as it was recorded
 * and repeats its token.
 */
final class Recovering {
    private static final Logger LOG = LoggerFactory.getLogger(Recovering.class);

    private final WriterState state;

    Recovering(WriterState state) {
        this.state = state;
    }

    WriterMode step() throws InsertException {
        state.poll(state.policy.pollTimeout(state.batch, state.clock.getAsLong()));
        RangeRecovery recovery = state.recovery;
        if (state.retry.active()) {
            return WriterMode.RETRYING; // a revoke during the poll could not store the batch
        }
        if (!recovery.active()) {
            state.resumeAfterRecovery(); // the ranges' partitions were revoked or lost during the poll
            return WriterMode.BATCHING;
        }
        Set<TopicPartition> incomplete = recovery.incomplete(state.consumer);
        if (incomplete.isEmpty()) {
            Set<TopicPartition> recovered = recovery.partitions();
            if (!state.flush()) {
                return WriterMode.RETRYING; // the ranges' rows are in the batch retried; Retrying ends the recovery
            }
            recovery.finished(recovered);
            state.resumeAfterRecovery();
            return WriterMode.BATCHING;
        }
        if (recovery.overdue()) {
            LOG.warn("recorded ranges of {} could not be read in full within {} s (topic truncated or recreated?); "
                    + "going on without them: some of their rows may be stored twice, FINAL shows each once",
                    incomplete, RangeRecovery.GIVE_UP_AFTER_MS / 1000);
            recovery.finished(recovery.partitions());
            state.resumeAfterRecovery();
            return WriterMode.BATCHING;
        }
        Set<TopicPartition> others = new HashSet<>(state.consumer.assignment());
        others.removeAll(recovery.partitions());
        others.removeAll(state.consumer.paused());
        state.consumer.pause(others);
        state.pausedForRecovery.addAll(others);
        state.commitIdlePosition();
        return WriterMode.RECOVERING;
    }
}
