package org.userlogins.writer.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.sink.RowSink;

/** A RowSink in memory that dedupes by token like ClickHouse, with scripted failures. */
public final class InMemoryRowSink implements RowSink {
    public final Map<String, List<Row>> insertsByToken = new LinkedHashMap<>();
    public final List<String> attemptedTokens = new ArrayList<>();
    private final Deque<InsertException.Kind> failures = new ArrayDeque<>();
    private Predicate<Row> rejects = r -> false;

    public void failNext(InsertException.Kind kind, int times) {
        for (int i = 0; i < times; i++) {
            failures.add(kind);
        }
    }

    public void rejectRowsWhere(Predicate<Row> rule) {
        rejects = rule;
    }

    @Override
    public void insert(List<Row> rows, String dedupToken) throws InsertException {
        attemptedTokens.add(dedupToken);
        InsertException.Kind failure = failures.poll();
        if (failure != null) {
            throw new InsertException(failure, "scripted " + failure, null);
        }
        if (rows.stream().anyMatch(rejects)) {
            throw new InsertException(InsertException.Kind.DATA, "Code: 321. VALUE_IS_OUT_OF_RANGE", null);
        }
        insertsByToken.putIfAbsent(dedupToken, List.copyOf(rows));
    }

    public List<Long> storedIds() {
        return insertsByToken.values().stream().flatMap(List::stream).map(r -> r.event().id()).toList();
    }
}
