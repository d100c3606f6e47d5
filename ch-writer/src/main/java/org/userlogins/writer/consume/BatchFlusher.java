package org.userlogins.writer.consume;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.batch.Batch;
import org.userlogins.writer.batch.DedupToken;
import org.userlogins.writer.batch.DeliveryStage;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.sink.RowSink;

/**
 * Takes a batch through its {@link DeliveryStage}s: record each partition's offset range in the
 * group, insert each partition's rows with a token derived from them, commit the end offsets.
 * The delivery guarantee is made here: offsets move only after ClickHouse accepted the rows, so a
 * crash never skips a row; and because the range is recorded before the insert, whoever owns the
 * partition next re-forms the very same rows and token, which ClickHouse drops if it stored them,
 * so a crash never stores a row twice either, without FINAL. A row ClickHouse rejects for its
 * content is found by bisecting the partition's rows and goes to the DLQ.
 */
public final class BatchFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(BatchFlusher.class);

    /** Told each time a batch reaches a stage (the crash tests halt the process there). */
    public interface StageHook {
        StageHook NONE = stage -> { };

        void reached(DeliveryStage stage);
    }

    private final RowSink sink;
    private final DeadLetters deadLetters;
    private final Consumer<?, ?> consumer;
    private final String table;
    private final WriterMetrics metrics;
    private final StageHook hook;
    private final LongSupplier clock;

    public BatchFlusher(RowSink sink, DeadLetters deadLetters, Consumer<?, ?> consumer, String table,
                        WriterMetrics metrics, StageHook hook, LongSupplier clock) {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.consumer = consumer;
        this.table = table;
        this.metrics = metrics;
        this.hook = hook;
        this.clock = clock;
    }

    /** Runs the remaining stages; throws a TRANSIENT or FATAL {@link InsertException}, the batch staying where it stopped. */
    public void flush(Batch batch) throws InsertException {
        while (batch.stage() != DeliveryStage.COMMITTED) {
            advance(batch);
        }
    }

    /** One transition. Package-private so that each can be tested alone. */
    void advance(Batch batch) throws InsertException {
        DeliveryStage next = switch (batch.stage()) {
            case FORMING -> batch.size() == 0 ? DeliveryStage.STORED : recordRanges(batch);
            case RANGES_RECORDED -> store(batch);
            case STORED -> commit(batch);
            case COMMITTED -> throw new IllegalStateException("the batch is already committed");
        };
        batch.advanceTo(next);
        hook.reached(next);
    }

    private DeliveryStage recordRanges(Batch batch) throws InsertException {
        try {
            commitSync(batch.rangeMarks());
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // Not recorded means not inserted: the partitions may be moving, and their next owner
            // must not meet rows of ours it cannot re-form. Retried after the rebalance.
            throw new InsertException(InsertException.Kind.TRANSIENT,
                    "could not record the batch's offset ranges before inserting (" + e.getMessage() + ")", e);
        }
        return DeliveryStage.RANGES_RECORDED;
    }

    private DeliveryStage store(Batch batch) throws InsertException {
        long started = System.nanoTime();
        for (List<Row> rows : batch.rowsByPartition().values()) {
            insertOrBisect(rows);
        }
        LOG.debug("inserted {} rows ({}) in {} ms", batch.size(), batch.describeOffsets(), (System.nanoTime() - started) / 1_000_000);
        return DeliveryStage.STORED;
    }

    private void insertOrBisect(List<Row> rows) throws InsertException {
        long started = System.nanoTime();
        try {
            sink.insert(rows, DedupToken.of(table, rows));
            metrics.inserted(rows, System.nanoTime() - started, clock.getAsLong());
        } catch (InsertException e) {
            if (e.kind() != InsertException.Kind.DATA) {
                throw e;
            }
            if (rows.size() == 1) {
                Row bad = rows.get(0);
                deadLetters.send(bad.source(), "clickhouse_rejected", e.getMessage());
                metrics.deadLettered("clickhouse_rejected");
                return;
            }
            LOG.warn("ClickHouse rejected a batch of {} rows for its content ({}); splitting it to find the bad rows",
                    rows.size(), e.getMessage());
            int half = rows.size() / 2;
            insertOrBisect(rows.subList(0, half));
            insertOrBisect(rows.subList(half, rows.size()));
        }
    }

    private DeliveryStage commit(Batch batch) {
        try {
            commitSync(batch.offsetsToCommit());
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("rows are stored but the commit was refused ({}); the partitions' next owner re-forms the recorded "
                    + "ranges and ClickHouse drops the repeated inserts by their tokens", e.getMessage());
        }
        return DeliveryStage.COMMITTED;
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            // Shutdown raced with the commit; finish it, the stop is honoured right after.
            consumer.commitSync(offsets);
        }
    }
}
