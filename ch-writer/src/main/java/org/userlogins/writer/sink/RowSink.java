package org.userlogins.writer.sink;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.userlogins.writer.batch.Row;

/** Where batches go. One call = one INSERT; it returns only when the store accepted every row. */
public interface RowSink {
    void insert(List<Row> rows, String dedupToken) throws InsertException;

    /** Which of these ids the table holds a row of (any copy). */
    Set<Long> storedIds(Collection<Long> ids) throws InsertException;
}
