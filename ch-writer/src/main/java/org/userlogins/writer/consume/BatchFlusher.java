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
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.sink.RowSink;

/**
 * Stores one batch and then commits its offsets: the delivery guarantee is made here. Offsets are
 * committed only after ClickHouse accepted every row (or the row went to the DLQ), so a crash at
 * any point re-reads rows and never skips one; the deterministic token makes the re-insert of the
 * same rows a no-op. A row ClickHouse rejects for its content is found by bisecting the batch.
 */
public final class BatchFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(BatchFlusher.class);

    private final RowSink sink;
    private final DeadLetters deadLetters;
    private final Consumer<?, ?> consumer;
    private final String table;
    private final WriterMetrics metrics;
    private final Runnable afterInsertHook;
    private final LongSupplier clock;

    public BatchFlusher(RowSink sink, DeadLetters deadLetters, Consumer<?, ?> consumer, String table,
                        WriterMetrics metrics, Runnable afterInsertHook, LongSupplier clock) {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.consumer = consumer;
        this.table = table;
        this.metrics = metrics;
        this.afterInsertHook = afterInsertHook;
        this.clock = clock;
    }

    /** Inserts and commits; throws a TRANSIENT or FATAL {@link InsertException} with nothing committed. */
    public void flush(Batch batch) throws InsertException {
        if (batch.size() > 0) {
            long started = System.nanoTime();
            insertOrBisect(batch.rows());
            LOG.debug("inserted {} rows ({}) in {} ms", batch.size(), batch.describeOffsets(),
                    (System.nanoTime() - started) / 1_000_000);
            afterInsertHook.run();
        }
        commit(batch.offsetsToCommit());
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

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            // Shutdown raced with the commit; the rows are stored, so commit them anyway.
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("rows are stored but the commit was refused ({}); the partitions' new owner re-reads them "
                    + "and FINAL collapses the copies", e.getMessage());
        }
    }
}
