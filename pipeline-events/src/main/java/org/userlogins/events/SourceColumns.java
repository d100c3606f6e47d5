package org.userlogins.events;

import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The columns of {@code user_logins} that travel to ClickHouse ({@link UserEvent}'s fields), and
 * the flag, which never does (a captured row is unsent by definition). Any other column of the
 * table is left out, and the pipeline says so (capture's log and metric, {@code ./pipeline status}):
 * nothing is dropped without a word.
 */
public final class SourceColumns {
    public static final Set<String> CARRIED = Set.of("id", "username", "event_type", "event_time");
    public static final String FLAG = "sent_to_kafka";

    private SourceColumns() {
    }

    /** The table's columns that do not reach ClickHouse, sorted; the flag is not among them. */
    public static SortedSet<String> leftOut(Collection<String> tableColumns) {
        SortedSet<String> out = new TreeSet<>(tableColumns);
        out.removeAll(CARRIED);
        out.remove(FLAG);
        return out;
    }
}
