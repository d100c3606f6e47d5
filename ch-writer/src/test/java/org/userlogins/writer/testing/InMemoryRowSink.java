package org.userlogins.writer.testing;

import com.clickhouse.client.api.ServerException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.sink.InsertErrors;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.sink.RowSink;

/**
 * A RowSink in memory that dedupes by token like ClickHouse, with scripted failures. Like a
 * MergeTree with {@code non_replicated_deduplication_window}, it remembers the tokens of the last
 * {@link #dedupWindow} stored inserts only (rejected inserts store nothing and take no place in it),
 * and keeps every stored copy, so {@link #storedIds()} is the raw count without FINAL.
 */
public final class InMemoryRowSink implements RowSink {
    /** The first stored copy per token. */
    public final Map<String, List<Row>> insertsByToken = new LinkedHashMap<>();
    /** Every insert that stored rows, in order, copies included. */
    public final List<List<Row>> storedParts = new ArrayList<>();
    public final List<String> attemptedTokens = new ArrayList<>();
    private final Deque<InsertException.Kind> failures = new ArrayDeque<>();
    private final Deque<String> window = new ArrayDeque<>();
    private final Set<String> inWindow = new HashSet<>();
    private int windowSize = Integer.MAX_VALUE;
    private Predicate<Row> rejects = r -> false;
    private boolean namesTheRow = true;

    private int cutOffAfterToken;

    /**
     * The next {@code times} inserts fail as a server stopped in the middle of one does: the token
     * is remembered (a retry with it is dropped as a repeat) but no row is stored.
     */
    public void cutOffAfterTokenNext(int times) {
        cutOffAfterToken += times;
    }

    public void failNext(InsertException.Kind kind, int times) {
        for (int i = 0; i < times; i++) {
            failures.add(kind);
        }
    }

    /**
     * Rejects an insert holding a row the rule matches, as a CHECK constraint does: code 469, the
     * message naming the first such row (1-based), as ClickHouse's does.
     */
    public void rejectRowsWhere(Predicate<Row> rule) {
        rejects = rule;
        namesTheRow = true;
    }

    /** Rejects like a rule that names no row (a throwIf in a column's expression, a materialized view). */
    public void rejectRowsWithoutNamingThem(Predicate<Row> rule) {
        rejects = rule;
        namesTheRow = false;
    }

    /** Remember only the tokens of the last {@code inserts} stored inserts, like the table setting. */
    public void dedupWindow(int inserts) {
        windowSize = inserts;
    }

    @Override
    public void insert(List<Row> rows, String dedupToken) throws InsertException {
        attemptedTokens.add(dedupToken);
        InsertException.Kind failure = failures.poll();
        if (failure != null) {
            throw new InsertException(failure, "scripted " + failure, null);
        }
        if (cutOffAfterToken > 0 && !inWindow.contains(dedupToken)) {
            cutOffAfterToken--;
            window.addLast(dedupToken);
            inWindow.add(dedupToken);
            throw new InsertException(InsertException.Kind.TRANSIENT, "scripted: no response, token kept, rows lost", null);
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rejects.test(rows.get(i))) {
                throw InsertErrors.classify(namesTheRow
                        ? new ServerException(469, "Code: 469. DB::Exception: Constraint `no_bad` for table db.user_logins "
                                + "(5f3e) is violated at row " + (i + 1) + ". Expression: (rule). Column values: id = "
                                + rows.get(i).event().id() + ". (VIOLATED_CONSTRAINT) (version 26.7.2.1)", 500, "q")
                        : new ServerException(395, "Code: 395. DB::Exception: Value passed to 'throwIf' function is "
                                + "non-zero. (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO) (version 26.7.2.1)", 500, "q"));
            }
        }
        if (inWindow.contains(dedupToken)) {
            return; // a repeat ClickHouse drops
        }
        storedParts.add(List.copyOf(rows));
        insertsByToken.putIfAbsent(dedupToken, List.copyOf(rows));
        window.addLast(dedupToken);
        inWindow.add(dedupToken);
        while (window.size() > windowSize) {
            inWindow.remove(window.removeFirst());
        }
    }

    @Override
    public Set<Long> storedIds(java.util.Collection<Long> ids) {
        Set<Long> stored = new HashSet<>(storedIds());
        stored.retainAll(ids);
        return stored;
    }

    /** An insert step a test scripts around this sink. */
    public interface Insert {
        void insert(List<Row> rows, String token) throws InsertException;
    }

    /** A sink whose inserts go through {@code insert} (which may call this one) and whose reads are this one's. */
    public RowSink intercepting(Insert insert) {
        InMemoryRowSink self = this;
        return new RowSink() {
            @Override
            public void insert(List<Row> rows, String token) throws InsertException {
                insert.insert(rows, token);
            }

            @Override
            public Set<Long> storedIds(java.util.Collection<Long> ids) {
                return self.storedIds(ids);
            }
        };
    }

    /** The ids of every stored copy: the raw count, without FINAL. */
    public List<Long> storedIds() {
        return storedParts.stream().flatMap(List::stream).map(r -> r.event().id()).toList();
    }
}
