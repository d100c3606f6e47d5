package org.userlogins.writer.consume;

import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.batch.FlushPolicy;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.sink.InsertException;

/**
 * The consumer's thread: one step of the current {@link WriterMode} at a time, until stopped; then
 * the batch in hand is flushed once and committed. The modes and their transitions are listed in
 * {@link WriterMode}; the delivery of one batch (record, insert, commit) is {@link BatchFlusher}'s.
 */
public final class WriterLoop {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLoop.class);

    private final String topic;
    private final WriterState state;
    private final Batching batching;
    private final Recovering recovering;
    private final Retrying retrying;
    private final Rebalance rebalance;
    private WriterMode mode = WriterMode.BATCHING;
    private volatile boolean stopping;

    public WriterLoop(Consumer<byte[], byte[]> consumer, String topic, DeadLetters deadLetters, BatchFlusher flusher,
                      FlushPolicy policy, Backoff backoff, WriterMetrics metrics, WriterStatus status, LongSupplier clock) {
        this.topic = topic;
        this.state = new WriterState(consumer, deadLetters, flusher, policy, backoff, metrics, status, clock);
        this.batching = new Batching(state);
        this.recovering = new Recovering(state);
        this.retrying = new Retrying(state);
        this.rebalance = new Rebalance(state);
    }

    /** Runs until {@link #stop()}; then flushes the batch in hand once and commits. Throws on a FATAL error. */
    public void run() throws InsertException {
        subscribe();
        try {
            while (!stopping) {
                step();
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        }
        finalFlush();
    }

    void subscribe() {
        state.consumer.subscribe(List.of(topic), rebalance);
        state.status.running();
    }

    /** One step of the current mode. Package-private for tests. */
    void step() throws InsertException {
        mode = switch (mode) {
            case BATCHING -> batching.step();
            case RECOVERING -> recovering.step();
            case RETRYING -> retrying.step();
        };
    }

    WriterMode mode() {
        return mode;
    }

    /** The group's callbacks; package-private so tests can rebalance a MockConsumer by hand. */
    Rebalance rebalance() {
        return rebalance;
    }

    private void finalFlush() throws InsertException {
        Rebalance.dropIncompleteRanges(state);
        if (!state.batch.hasWork()) {
            LOG.info("stopped with no batch in hand");
            return;
        }
        LOG.info("stopping: flushing the batch in hand ({} rows)", state.batch.size());
        if (!state.flush()) {
            LOG.warn("stopped with {} rows not stored; they were not committed and are re-read at the next start", state.batch.size());
        }
    }

    /** Called from the shutdown hook: the loop ends after its current step. */
    public void stop() {
        stopping = true;
        state.consumer.wakeup();
    }

    public int batchSize() {
        return state.batch.size();
    }
}
