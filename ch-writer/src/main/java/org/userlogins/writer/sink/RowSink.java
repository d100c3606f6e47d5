package org.userlogins.writer.sink;

import java.util.List;
import org.userlogins.writer.batch.Row;

/** Where batches go. One call = one INSERT; it returns only when the store accepted every row. */
public interface RowSink {
    void insert(List<Row> rows, String dedupToken) throws InsertException;
}
