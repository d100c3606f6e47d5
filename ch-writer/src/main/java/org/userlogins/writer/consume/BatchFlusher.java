package org.userlogins.writer.consume;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
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
 * so a crash never stores a row twice either, without FINAL. Rows ClickHouse rejects for their
 * content are singled out by {@link RejectedRowSearch}, in a bounded number of inserts that the next
 * owner repeats token for token, and go to the DLQ.
 */
public final class BatchFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(BatchFlusher.class);
    private static final int MAX_REFILLS = 3;

    /** Told each time a batch reaches a stage (the crash tests halt the process there). */
    public interface StageHook {
        StageHook NONE = stage -> { };

        void reached(DeliveryStage stage);
    }

    private final DeadLetters deadLetters;
    private final Consumer<?, ?> consumer;
    private final String table;
    private final WriterMetrics metrics;
    private final StageHook hook;
    private final RejectedRowSearch search;
    private final RowSink sink;
    /** The batch being stored and, per partition, the token of the rows already stored (and their rejects sent). */
    private Batch storing;
    private final Map<Integer, String> storedTokens = new HashMap<>();

    public BatchFlusher(RowSink sink, DeadLetters deadLetters, Consumer<?, ?> consumer, String table,
                        WriterMetrics metrics, StageHook hook, LongSupplier clock) {
        this.deadLetters = deadLetters;
        this.consumer = consumer;
        this.table = table;
        this.metrics = metrics;
        this.hook = hook;
        this.search = new RejectedRowSearch(sink, table, metrics, clock);
        this.sink = sink;
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
        } catch (RetriableException e) {
            throw kafkaUnavailable("record the batch's offset ranges", e);
        }
        return DeliveryStage.RANGES_RECORDED;
    }

    private DeliveryStage store(Batch batch) throws InsertException {
        long started = System.nanoTime();
        // A retry, or rows a previous owner recorded and may have inserted: ClickHouse may hold the
        // token of an attempt whose rows it never kept, and would drop the repeat as a duplicate.
        boolean attemptedBefore = batch == storing || batch.reformed();
        if (batch != storing) {
            storing = batch;
            storedTokens.clear();
        }
        for (Map.Entry<Integer, List<Row>> partition : batch.rowsByPartition().entrySet()) {
            // A partition done before a later one failed is not done again on the retry (its rejects
            // would go to the DLQ twice); unless its rows changed since, which the token tells.
            String token = DedupToken.of(table, partition.getValue());
            if (token.equals(storedTokens.get(partition.getKey()))) {
                continue;
            }
            RejectedRowSearch.Result result = search.insert(partition.getValue());
            if (attemptedBefore) {
                storeWhatWasDroppedAsARepeat(partition.getValue(), result, token);
            }
            if (!result.letters().isEmpty()) {
                try {
                    deadLetters.sendAll(result.letters());
                } catch (RetriableException e) {
                    throw kafkaUnavailable("send the rows ClickHouse refused to the DLQ", e); // the retry stores and sends them again
                }
                result.letters().forEach(l -> metrics.deadLettered(l.reason()));
            }
            storedTokens.put(partition.getKey(), token);
        }
        storing = null;
        storedTokens.clear();
        LOG.debug("inserted {} rows ({}) in {} ms", batch.size(), batch.describeOffsets(), (System.nanoTime() - started) / 1_000_000);
        return DeliveryStage.STORED;
    }

    /**
     * After an insert that may repeat an earlier attempt, checks that the table holds each row
     * (by id: any copy will do, since the first stored copy wins) and stores the ones it lacks under
     * a token of their own. ClickHouse records an insert's token before the insert is complete; a
     * server stopped in between keeps the token and loses the rows, and the retry with that token
     * is then "deduplicated" into nothing.
     */
    private void storeWhatWasDroppedAsARepeat(List<Row> rows, RejectedRowSearch.Result result, String token) throws InsertException {
        Set<Long> rejected = new HashSet<>();
        result.letters().forEach(l -> rejected.add(l.source().offset()));
        List<Row> expected = rows.stream().filter(r -> !rejected.contains(r.offset())).toList();
        for (int refill = 1; ; refill++) {
            Set<Long> held = sink.storedIds(expected.stream().map(r -> r.event().id()).toList());
            List<Row> lost = expected.stream().filter(r -> !held.contains(r.event().id())).toList();
            if (lost.isEmpty()) {
                return;
            }
            if (refill > MAX_REFILLS) {
                throw new InsertException(InsertException.Kind.TRANSIENT, lost.size() + " rows of " + DedupToken.ranges(lost)
                        + " are still missing after " + MAX_REFILLS + " inserts of their own", null);
            }
            LOG.warn("ClickHouse dropped the repeated insert {} as a duplicate but holds none of {} of its rows ({}): an earlier "
                    + "attempt was cut off after its token was recorded; storing them again", token, lost.size(), DedupToken.ranges(lost));
            sink.insert(lost, token + ":refill-" + refill);
            metrics.refilled(lost.size());
        }
    }

    private DeliveryStage commit(Batch batch) throws InsertException {
        try {
            commitSync(batch.offsetsToCommit());
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("rows are stored but the commit was refused ({}); the partitions' next owner re-forms the recorded "
                    + "ranges and ClickHouse drops the repeated inserts by their tokens", e.getMessage());
        } catch (RetriableException e) {
            throw kafkaUnavailable("commit the stored batch's offsets", e); // stays STORED: the retry commits again
        }
        return DeliveryStage.COMMITTED;
    }

    /** Kafka did not answer in time (down, restarting, electing): the same batch waits and is tried again, however long. */
    static InsertException kafkaUnavailable(String what, RetriableException e) {
        return new InsertException(InsertException.Kind.TRANSIENT, "Kafka is unavailable: could not " + what + " (" + e.getMessage() + ")", e);
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
