package org.userlogins.writer.consume;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.events.DlqReason;
import org.userlogins.writer.batch.DedupToken;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.dlq.DeadLetters.Letter;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.sink.RowSink;

/**
 * Inserts one partition's range of a batch and, when ClickHouse refuses it for its content, singles
 * out the refused rows, in at most {@link #MAX_INSERTS_PER_RANGE} inserts, the first included.
 *
 * <p>What is left for ClickHouse to refuse: the writer's rows are well formed (RowBinary of the
 * exact column types) and in range ({@code RecordDecoder} sends negative ids, out-of-range times
 * and unreadable records to the DLQ before any insert), so a refusal comes from a rule of the
 * table only the server knows: a CHECK constraint (VIOLATED_CONSTRAINT names the first refused
 * row), a {@code throwIf} in a column's expression or a materialized view (no row named), or a
 * table changed under the writer (every row refused).
 *
 * <p>The search, a queue of parts, first the whole range:
 * <ul>
 * <li>a part accepted is stored with the token of its rows ({@link DedupToken#of});</li>
 * <li>a part refused naming a row: that row is refused, and the part without it is queued
 * (so a range with b rows a constraint refuses takes b + 1 inserts and stores one part);</li>
 * <li>a part refused naming no row: a single row is refused, a larger part is queued as its two
 * halves;</li>
 * <li>once the range has had its inserts, the parts still queued are not tried: their rows, good
 * and bad mixed, go to the DLQ as {@link #UNSORTED}, where {@code redrive} finds them once the
 * table's rule is fixed.</li>
 * </ul>
 * Every row ends stored once or in the DLQ once. The DLQ records are sent only after the last
 * insert of the range (the caller sends the {@link Result#letters()}), so a transient failure in
 * the middle sends nothing and the retry, which does the same search, sends them once. (A next
 * owner after a crash between the send and the commit sends them again; {@code redrive} re-drives
 * each source record once.)
 *
 * <p>The bound is what the next owner of the partition relies on. After a crash it re-forms the
 * recorded range and runs this search again; with the same rows and the same rules ClickHouse gives
 * the same answers, so it makes the same inserts in the same order with the same tokens (the budget
 * is a constant, not a time or anything of the batch around the range; an operator changing the
 * table's rules in between is the exception), and ClickHouse drops each
 * repeat if the token is still among the last 10,000 parts stored
 * ({@code non_replicated_deduplication_window}). A range stores at most as many parts as it makes
 * inserts, so a batch of P partitions stores at most P x 500 parts (one per partition when a
 * constraint names the rows), far inside the window, where unbounded bisection could pass it and
 * a next owner then stored every row again. And the inserts of a batch stay bounded in time, far
 * inside the consumer's 5-minute {@code max.poll.interval.ms} (docs/PERFORMANCE.md has the
 * measured figures).
 */
final class RejectedRowSearch {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedRowSearch.class);
    /** Inserts per partition range, the first included. A constant: the next owner must stop where we stopped. */
    static final int MAX_INSERTS_PER_RANGE = 500;

    private final RowSink sink;
    private final String table;
    private final WriterMetrics metrics;
    private final LongSupplier clock;
    private final int maxInserts;

    RejectedRowSearch(RowSink sink, String table, WriterMetrics metrics, LongSupplier clock) {
        this(sink, table, metrics, clock, MAX_INSERTS_PER_RANGE);
    }

    RejectedRowSearch(RowSink sink, String table, WriterMetrics metrics, LongSupplier clock, int maxInserts) {
        this.sink = sink;
        this.table = table;
        this.metrics = metrics;
        this.clock = clock;
        this.maxInserts = maxInserts;
    }

    /** What became of a range: its inserts, the parts and rows stored, and its DLQ records in offset order. */
    record Result(int inserts, int storedParts, int storedRows, List<Letter> letters) {
    }

    /** A part to try, with the refusal that made it (for the DLQ record if it is never tried). */
    private record Part(List<Row> rows, String cause) {
    }

    /** Stores {@code rows} (one partition's range); throws a TRANSIENT or FATAL failure as it comes, having sent nothing to the DLQ. */
    Result insert(List<Row> rows) throws InsertException {
        Deque<Part> queue = new ArrayDeque<>();
        queue.add(new Part(rows, null));
        List<Letter> letters = new ArrayList<>();
        int inserts = 0;
        int storedParts = 0;
        int storedRows = 0;
        long started = System.nanoTime();
        while (!queue.isEmpty()) {
            Part part = queue.removeFirst();
            if (inserts == maxInserts) {
                String detail = "not sorted out: ClickHouse refused the " + part.rows().size() + " rows ("
                        + DedupToken.ranges(part.rows()) + ") this one was among after the range's " + maxInserts
                        + " inserts were spent; it may be good: " + part.cause();
                part.rows().forEach(r -> letters.add(new Letter(r.source(), DlqReason.CLICKHOUSE_REJECTED_UNSORTED, detail)));
                continue;
            }
            inserts++;
            long attempt = System.nanoTime();
            try {
                sink.insert(part.rows(), DedupToken.of(table, part.rows()));
                metrics.inserted(part.rows(), System.nanoTime() - attempt, clock.getAsLong());
                storedParts++;
                storedRows += part.rows().size();
            } catch (InsertException e) {
                if (e.kind() != InsertException.Kind.DATA) {
                    throw e;
                }
                if (inserts == 1) {
                    LOG.warn("ClickHouse refused the {} rows of {} for their content ({}); singling out the refused rows "
                            + "in at most {} inserts", rows.size(), DedupToken.ranges(rows), e.getMessage(), maxInserts);
                }
                refused(part, e, queue, letters);
            }
        }
        letters.sort(Comparator.comparingLong(l -> l.source().offset()));
        if (inserts > 1) {
            long unsorted = letters.stream().filter(l -> l.reason() == DlqReason.CLICKHOUSE_REJECTED_UNSORTED).count();
            LOG.warn("{}: {} rows stored in {} parts, {} refused, {} not sorted out ({}), in {} inserts and {} ms",
                    DedupToken.ranges(rows), storedRows, storedParts, letters.size() - unsorted, unsorted, DlqReason.CLICKHOUSE_REJECTED_UNSORTED.code(), inserts,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return new Result(inserts, storedParts, storedRows, letters);
    }

    private static void refused(Part part, InsertException e, Deque<Part> queue, List<Letter> letters) {
        List<Row> rows = part.rows();
        int named = e.rejectedRow().orElse(0);
        if (rows.size() == 1) {
            letters.add(new Letter(rows.get(0).source(), DlqReason.CLICKHOUSE_REJECTED, e.getMessage()));
        } else if (named >= 1 && named <= rows.size()) {
            letters.add(new Letter(rows.get(named - 1).source(), DlqReason.CLICKHOUSE_REJECTED, e.getMessage()));
            List<Row> rest = new ArrayList<>(rows.size() - 1);
            rest.addAll(rows.subList(0, named - 1));
            rest.addAll(rows.subList(named, rows.size()));
            queue.addLast(new Part(rest, e.getMessage()));
        } else {
            int half = rows.size() / 2;
            queue.addLast(new Part(rows.subList(0, half), e.getMessage()));
            queue.addLast(new Part(rows.subList(half, rows.size()), e.getMessage()));
        }
    }
}
