package org.userlogins.writer.consume;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.sink.InsertException;

/**
 * The group moving partitions, inside a poll of any mode. It changes only the shared state; the
 * mode whose poll it ran in reads the result (a retry started, a range to read) and moves on.
 */
final class Rebalance implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalance.class);

    private final WriterState state;

    Rebalance(WriterState state) {
        this.state = state;
    }

    /**
     * Before another consumer takes {@code partitions}: store and commit what we hold for them; if
     * ClickHouse is down, forget their rows uncommitted so the new owner re-reads them. Ranges still
     * being read again are settled first, while it is still known which they are: their partial rows
     * are dropped (a prefix of a range would go under another token), a revoked one keeps its mark for
     * its next owner, and one we keep is read again from its start (dropping rows without moving back
     * would re-form the range from the middle, losing or doubling its first rows).
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        state.idleCommit.forget(partitions);
        state.pausedForRecovery.removeAll(partitions);
        if (state.batch.covers(partitions)) {
            for (TopicPartition tp : dropIncompleteRanges(state)) {
                if (!partitions.contains(tp)) {
                    state.consumer.seek(tp, state.recovery.start(tp));
                }
            }
            boolean stored = false;
            if (!state.retry.active()) {
                try {
                    stored = state.flush();
                } catch (InsertException e) {
                    state.fatalInRebalance = e;
                }
            }
            if (!stored) {
                int dropped = state.batch.drop(partitions);
                LOG.warn("partitions {} revoked while ClickHouse is failing: {} rows left uncommitted for the new owner", partitions, dropped);
            }
        }
        state.recovery.finished(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        state.idleCommit.forget(partitions);
        state.recovery.finished(partitions);
        state.pausedForRecovery.removeAll(partitions);
        int dropped = state.batch.drop(partitions);
        LOG.warn("partitions {} lost: {} rows dropped uncommitted (the new owner re-reads them)", partitions, dropped);
    }

    /** Reads the ranges recorded in the new partitions' committed offsets; during a retry they wait paused. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (state.retry.active()) {
            state.consumer.pause(partitions);
        }
        LOG.info("assigned partitions {}", partitions);
        if (partitions.isEmpty()) {
            return;
        }
        try {
            state.recovery.begin(state.consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            LOG.warn("could not read the committed offsets of {} ({}): a batch recorded in flight there is re-read "
                    + "into new batches, and FINAL shows its rows once", partitions, e.toString());
        }
    }

    /**
     * Before a forced flush (revoke, stop): rows of a range not yet read in full are a prefix of it,
     * whose token would differ from the recorded one; they stay uncommitted, the mark stays, and the
     * partition's next reader re-forms the whole range. Returns the partitions so settled.
     */
    static Set<TopicPartition> dropIncompleteRanges(WriterState state) {
        if (!state.recovery.active()) {
            return Set.of();
        }
        Set<TopicPartition> incomplete = state.recovery.incomplete(state.consumer);
        if (!incomplete.isEmpty()) {
            state.batch.drop(incomplete);
        }
        return incomplete;
    }
}
