package org.userlogins.writer.consume;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
            intake.addAll(consumer.poll(Duration.ofMillis(retry.millisUntilDue(MAX_PAUSED_POLL_MS))), batch);
            if (retry.due()) {
                tryFlush();
            }
            return;
        }
        intake.addAll(consumer.poll(policy.pollTimeout(batch, clock.getAsLong())), batch);
        if (fatalInRebalance != null) {
            throw fatalInRebalance;
        }
        if (policy.shouldFlush(batch, clock.getAsLong())) {
            tryFlush();
        }
        if (!batch.hasWork() && !retry.active()) {
            idleCommit.maybeCommit();
        }
        progress.maybeLog(batch.size());
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

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        idleCommit.forget(partitions);
        if (!batch.covers(partitions)) {
            return;
        }
        // Store and commit what we hold for the partitions before another consumer takes them; if
        // ClickHouse is down, forget their rows uncommitted so the new owner re-reads them.
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

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        idleCommit.forget(partitions);
        int dropped = batch.drop(partitions);
        LOG.warn("partitions {} lost: {} rows dropped uncommitted (the new owner re-reads them)", partitions, dropped);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (retry.active()) {
            consumer.pause(partitions);
        }
        LOG.info("assigned partitions {}", partitions);
    }

    private void finalFlush() throws InsertException {
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
