package org.userlogins.ops.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * Where each flagged id that ClickHouse lacks went, bucket by bucket: rejected (a DLQ record
 * names it), never published (the compacted events topic has no record of it, and the DLQ none
 * either), or missing. Ids in ClickHouse that PostgreSQL does not flag are extra. Pure: the
 * lookups are given.
 */
public final class IdClasses {
    final List<Long> missing = new ArrayList<>();
    final List<Long> neverPublished = new ArrayList<>();
    final List<Long> extra = new ArrayList<>();
    final SortedMap<Long, Rejection> rejected = new TreeMap<>();

    /**
     * @param flagged   the bucket's ids flagged in PostgreSQL, ascending
     * @param stored    the bucket's ids in ClickHouse, ascending
     * @param published whether the events topic holds a record keyed by the id
     * @param dlq       the id's rejection, or null when no DLQ record names it
     */
    public void classify(List<Long> flagged, List<Long> stored, LongPredicate published, LongFunction<Rejection> dlq) {
        for (long id : IdDiff.minus(flagged, stored)) {
            Rejection why = dlq.apply(id);
            if (why != null) {
                rejected.put(id, why);
            } else if (!published.test(id)) {
                neverPublished.add(id);
            } else {
                missing.add(id);
            }
        }
        extra.addAll(IdDiff.minus(stored, flagged));
    }

    public List<Long> missing() {
        return missing;
    }

    public List<Long> neverPublished() {
        return neverPublished;
    }

    public List<Long> extra() {
        return extra;
    }

    public SortedMap<Long, Rejection> rejected() {
        return rejected;
    }
}
