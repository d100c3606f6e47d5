package org.userlogins.capture.publish;

import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.userlogins.events.SourceColumns;

/**
 * Watches the row schema Debezium delivers (it changes with the table's DDL) and reports, each time
 * it changes, the columns the event does not carry: at the first row, after an {@code ADD COLUMN},
 * after a {@code DROP COLUMN}. Cheap per row: Debezium reuses one schema object per table version.
 */
public final class LeftOutColumns {
    private final Consumer<SortedSet<String>> onChange;
    private Schema last;
    private SortedSet<String> leftOut = new TreeSet<>();

    public LeftOutColumns(Consumer<SortedSet<String>> onChange) {
        this.onChange = onChange;
    }

    void observe(Schema row) {
        if (row == last) {
            return;
        }
        last = row;
        SortedSet<String> now = SourceColumns.leftOut(row.fields().stream().map(Field::name).toList());
        if (!now.equals(leftOut)) {
            leftOut = now;
            onChange.accept(now);
        }
    }
}
