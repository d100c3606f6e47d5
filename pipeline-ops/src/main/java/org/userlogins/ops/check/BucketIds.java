package org.userlogins.ops.check;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A set of ids kept only for the buckets being compared: one bit per possible id of each such
 * bucket (12.5 KB per bucket of 100,000), whatever the number of records read.
 */
public final class BucketIds {
    private final long width;
    private final Map<Long, BitSet> bits = new HashMap<>();

    public BucketIds(Set<Long> buckets, long width) {
        this.width = width;
        buckets.forEach(b -> bits.put(b, new BitSet()));
    }

    /** Whether the id falls in a bucket of interest. */
    public boolean wanted(long id) {
        return id >= 0 && bits.containsKey(id / width);
    }

    /** Adds the id if it falls in a bucket of interest; returns whether it did. */
    public boolean add(long id) {
        if (!wanted(id)) {
            return false;
        }
        bits.get(id / width).set((int) (id % width));
        return true;
    }

    public boolean contains(long id) {
        BitSet b = id < 0 ? null : bits.get(id / width);
        return b != null && b.get((int) (id % width));
    }
}
