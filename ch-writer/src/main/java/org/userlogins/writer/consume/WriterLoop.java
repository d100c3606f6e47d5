package org.userlogins.writer.consume;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.batch.Batch;
import org.userlogins.writer.batch.FlushPolicy;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.ops.ProgressLog;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.sink.InsertException;

/**
 * The consumer's thread: poll, decode, batch, flush. While ClickHouse fails with a transient error
 * all partitions are paused (nothing new is fetched, so memory stays bounded) but poll() is still
 * called so the consumer keeps its group membership; the same batch is retried with the same token
 * after an exponential backoff, and the partitions resume once it is stored.
 */
public final class WriterLoop implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLoop.class);
    private static final long MAX_PAUSED_POLL_MS = 1000;

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final RecordIntake intake;
    private final BatchFlusher flusher;
    private final FlushPolicy policy;
    private final RetrySchedule retry;
    private final WriterMetrics metrics;
    private final WriterStatus status;
    private final LongSupplier clock;
    private final ProgressLog progress;
    private final IdlePositionCommit idleCommit;
    private final RangeRecovery recovery;
    private final Set<TopicPartition> pausedForRecovery = new HashSet<>();
    private Batch batch = new Batch();
    private InsertException fatalInRebalance;
    private volatile boolean stopping;

    public WriterLoop(Consumer<byte[], byte[]> consumer, String topic, DeadLetters deadLetters, BatchFlusher flusher,
                      FlushPolicy policy, Backoff backoff, WriterMetrics metrics, WriterStatus status, LongSupplier clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.intake = new RecordIntake(deadLetters, metrics, clock);
        this.flusher = flusher;
        this.policy = policy;
        this.retry = new RetrySchedule(backoff, clock);
        this.metrics = metrics;
        this.status = status;
        this.clock = clock;
        this.progress = new ProgressLog(metrics, clock);
        this.idleCommit = new IdlePositionCommit(consumer, clock);
        this.recovery = new RangeRecovery(clock);
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
        consumer.subscribe(List.of(topic), this);
        status.running();
    }

    /** One poll and, when due, one flush attempt. Package-private for tests. */
    void step() throws InsertException {
        if (retry.active()) {
            consumer.pause(consumer.assignment());
            recovery.restartClock();
            take(consumer.poll(Duration.ofMillis(retry.millisUntilDue(MAX_PAUSED_POLL_MS))));
            if (retry.due()) {
                tryFlush();
            }
            return;
        }
        take(consumer.poll(policy.pollTimeout(batch, clock.getAsLong())));
        if (fatalInRebalance != null) {
            throw fatalInRebalance;
        }
        if (recovery.active()) {
            stepRecovery();
        } else if (policy.shouldFlush(batch, clock.getAsLong())) {
            tryFlush();
        }
        if (!batch.hasWork() && !retry.active()) {
            idleCommit.maybeCommit(recovery::recovering);
        }
        progress.maybeLog(batch.size());
    }

    /** Into the batch, except records past a recovering partition's range: read again after it. */
    private void take(ConsumerRecords<byte[], byte[]> records) {
        Set<TopicPartition> heldBack = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (recovery.beyondRange(record)) {
                heldBack.add(new TopicPartition(record.topic(), record.partition()));
            } else {
                intake.add(record, batch);
            }
        }
        heldBack.forEach(tp -> consumer.seek(tp, recovery.end(tp)));
    }

    /**
     * While recorded ranges are being read again, the other partitions wait (the batch must not grow
     * past its bounds) and no size or time rule flushes; once every range is read, the batch goes
     * at once, so each range is inserted exactly as it was recorded.
     */
    private void stepRecovery() throws InsertException {
        Set<TopicPartition> incomplete = recovery.incomplete(consumer);
        if (incomplete.isEmpty()) {
            Set<TopicPartition> recovered = recovery.partitions();
            if (tryFlush()) {
                recovery.finished(recovered);
                resumeAfterRecovery();
            }
            return;
        }
        if (recovery.overdue()) {
            LOG.warn("recorded ranges of {} could not be read in full within {} s (topic truncated or recreated?); "
                    + "going on without them: some of their rows may be stored twice, FINAL shows each once",
                    incomplete, RangeRecovery.GIVE_UP_AFTER_MS / 1000);
            recovery.finished(recovery.partitions());
            resumeAfterRecovery();
            return;
        }
        Set<TopicPartition> others = new HashSet<>(consumer.assignment());
        others.removeAll(recovery.partitions());
        others.removeAll(consumer.paused());
        consumer.pause(others);
        pausedForRecovery.addAll(others);
    }

    private void resumeAfterRecovery() {
        if (!retry.active()) {
            pausedForRecovery.retainAll(consumer.assignment());
            consumer.resume(pausedForRecovery);
        }
        pausedForRecovery.clear();
    }

    private boolean tryFlush() throws InsertException {
        try {
            flusher.flush(batch);
        } catch (InsertException e) {
            if (e.kind() == InsertException.Kind.FATAL) {
                throw e;
            }
            Duration delay = retry.failed();
            metrics.retry();
            consumer.pause(consumer.assignment());
            status.retrying(retry.attempts(), e.getMessage());
            LOG.warn("insert of {} rows failed (attempt {}): {}; partitions paused, retrying the same batch in {} ms",
                    batch.size(), retry.attempts(), e.getMessage(), delay.toMillis());
            return false;
        }
        batch = new Batch();
        if (retry.active()) {
            LOG.info("ClickHouse accepted the batch after {} failed attempts; resuming consumption", retry.attempts());
            retry.reset();
            consumer.resume(consumer.paused());
            status.running();
        }
        return true;
    }

    /**
     * Before a forced flush (revoke, stop): rows of a range not yet read in full are a prefix of it,
     * whose token would differ from the recorded one; they stay uncommitted, the mark stays, and the
     * partition's next reader re-forms the whole range.
     */
    private Set<TopicPartition> dropIncompleteRanges() {
        if (!recovery.active()) {
            return Set.of();
        }
        Set<TopicPartition> incomplete = recovery.incomplete(consumer);
        if (!incomplete.isEmpty()) {
            batch.drop(incomplete);
        }
        return incomplete;
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
        idleCommit.forget(partitions);
        pausedForRecovery.removeAll(partitions);
        if (batch.covers(partitions)) {
            for (TopicPartition tp : dropIncompleteRanges()) {
                if (!partitions.contains(tp)) {
                    consumer.seek(tp, recovery.start(tp));
                }
            }
            boolean stored = false;
            if (!retry.active()) {
                try {
                    stored = tryFlush();
                } catch (InsertException e) {
                    fatalInRebalance = e; // thrown by the loop once poll() returns: a listener cannot stop it
                }
            }
            if (!stored) {
                int dropped = batch.drop(partitions);
                LOG.warn("partitions {} revoked while ClickHouse is failing: {} rows left uncommitted for the new owner", partitions, dropped);
            }
        }
        recovery.finished(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        idleCommit.forget(partitions);
        recovery.finished(partitions);
        pausedForRecovery.removeAll(partitions);
        int dropped = batch.drop(partitions);
        LOG.warn("partitions {} lost: {} rows dropped uncommitted (the new owner re-reads them)", partitions, dropped);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (retry.active()) {
            consumer.pause(partitions);
        }
        LOG.info("assigned partitions {}", partitions);
        if (partitions.isEmpty()) {
            return;
        }
        try {
            recovery.begin(consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            LOG.warn("could not read the committed offsets of {} ({}): a batch recorded in flight there is re-read "
                    + "into new batches, and FINAL shows its rows once", partitions, e.toString());
        }
    }

    private void finalFlush() throws InsertException {
        dropIncompleteRanges();
        if (!batch.hasWork()) {
            LOG.info("stopped with no batch in hand");
            return;
        }
        LOG.info("stopping: flushing the batch in hand ({} rows)", batch.size());
        if (!tryFlush()) {
            LOG.warn("stopped with {} rows not stored; they were not committed and are re-read at the next start", batch.size());
        }
    }

    /** Called from the shutdown hook: the loop ends after its current step. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    public int batchSize() {
        return batch.size();
    }
}
