package org.userlogins.writer.consume;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.batch.Batch;
import org.userlogins.writer.batch.FlushPolicy;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.dlq.DlqUnavailableException;
import org.userlogins.writer.ops.ProgressLog;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.sink.InsertException;

/**
 * What the writer's modes share: the consumer, the batch in hand, the retry schedule and the ranges
 * being read again. Only the consumer's thread touches it (rebalance callbacks run inside poll()).
 */
final class WriterState {
    private static final Logger LOG = LoggerFactory.getLogger(WriterState.class);
    /**
     * Each attempt against an absent Kafka already waits for its client timeout, so a short pause
     * between attempts costs nothing while Kafka is away and spares the insert backoff's longest
     * waits once it is back.
     */
    static final Duration KAFKA_RETRY_CAP = Duration.ofSeconds(2);

    final Consumer<byte[], byte[]> consumer;
    final FlushPolicy policy;
    final RetrySchedule retry;
    final RangeRecovery recovery;
    final WriterStatus status;
    final LongSupplier clock;
    final IdlePositionCommit idleCommit;
    final ProgressLog progress;
    /** Partitions paused by {@link Recovering} (not by a retry): resumed when the ranges are done. */
    final Set<TopicPartition> pausedForRecovery = new HashSet<>();
    private final RecordIntake intake;
    private final BatchFlusher flusher;
    private final WriterMetrics metrics;
    Batch batch = new Batch();
    /** A FATAL error met in a rebalance callback: thrown once poll() returns, a listener cannot stop the loop. */
    InsertException fatalInRebalance;

    WriterState(Consumer<byte[], byte[]> consumer, DeadLetters deadLetters, BatchFlusher flusher, FlushPolicy policy,
                Backoff backoff, WriterMetrics metrics, WriterStatus status, LongSupplier clock) {
        this.consumer = consumer;
        this.intake = new RecordIntake(deadLetters, metrics, clock);
        this.flusher = flusher;
        this.policy = policy;
        this.retry = new RetrySchedule(backoff, clock);
        this.metrics = metrics;
        this.status = status;
        this.clock = clock;
        this.idleCommit = new IdlePositionCommit(consumer, clock);
        this.progress = new ProgressLog(metrics, clock);
        this.recovery = new RangeRecovery(clock);
    }

    /** One poll into the batch, except records past a recovering partition's range: they are read again after it. */
    void poll(Duration timeout) throws InsertException {
        Set<TopicPartition> heldBack = new HashSet<>();
        Map<TopicPartition, Long> notTaken = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (!notTaken.isEmpty()) {
                notTaken.putIfAbsent(tp, record.offset());
                continue;
            }
            if (recovery.beyondRange(record)) {
                heldBack.add(tp);
                continue;
            }
            if (recovery.recovering(tp)) {
                batch.markReformed();
            }
            try {
                intake.add(record, batch);
            } catch (DlqUnavailableException e) {
                // The record, and every later one of this poll, is read again once Kafka takes DLQ records.
                notTaken.put(tp, record.offset());
                waitForKafka("Kafka is unavailable: " + e.getMessage());
            }
        }
        heldBack.forEach(held -> consumer.seek(held, recovery.end(held)));
        notTaken.forEach((tp, offset) -> {
            if (!heldBack.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        if (fatalInRebalance != null) {
            throw fatalInRebalance;
        }
    }

    /**
     * Takes the batch through its delivery stages. True when stored and committed (a new batch
     * starts); false on a transient failure, after which every partition is paused and the retry
     * schedule is running. A FATAL failure is thrown.
     */
    boolean flush() throws InsertException {
        long started = clock.getAsLong();
        try {
            flusher.flush(batch);
        } catch (InsertException e) {
            if (e.kind() == InsertException.Kind.FATAL) {
                throw e;
            }
            if (e.getCause() instanceof RetriableException) {
                waitForKafka(e.getMessage());
                return false;
            }
            Duration delay = retry.failed();
            metrics.retry();
            consumer.pause(consumer.assignment());
            status.retrying(retry.attempts(), e.getMessage());
            LOG.warn("insert of {} rows failed (attempt {}): {}; partitions paused, retrying the same batch in {} ms",
                    batch.size(), retry.attempts(), e.getMessage(), delay.toMillis());
            return false;
        }
        metrics.flushed();
        long ended = clock.getAsLong();
        batch = new Batch(ended + (ended - started)); // idle at least as long as this flush took before a quiet flush
        return true;
    }

    /**
     * Kafka did not take a commit or a DLQ record in time: the writer waits as it does for ClickHouse
     * (every partition paused, the same batch tried again), however long Kafka is away, but at most
     * {@link #KAFKA_RETRY_CAP} between attempts.
     */
    private void waitForKafka(String why) {
        Duration delay = retry.failed(KAFKA_RETRY_CAP);
        metrics.kafkaUnavailable();
        consumer.pause(consumer.assignment());
        status.waitingForKafka(retry.attempts(), why);
        LOG.warn("{} (attempt {}); partitions paused, {} rows in hand, trying again in {} ms", why, retry.attempts(), batch.size(), delay.toMillis());
    }

    /** With no batch in hand, commits positions past transaction markers; never over a recorded range. */
    void commitIdlePosition() {
        if (!batch.hasWork()) {
            idleCommit.maybeCommit(recovery::recovering);
        }
        progress.maybeLog(batch.size());
    }

    /** Resumes what {@link Recovering} paused (still assigned), unless a retry holds every partition. */
    void resumeAfterRecovery() {
        if (!retry.active()) {
            pausedForRecovery.retainAll(consumer.assignment());
            consumer.resume(pausedForRecovery);
        }
        pausedForRecovery.clear();
    }
}
