package org.userlogins.ops.check;

import java.util.ArrayList;
import java.util.List;

/** Missing and extra ids between two ascending id lists, and their compression into ranges. */
public final class IdDiff {
    private IdDiff() {
    }

    /** Ids in {@code expected} but not in {@code actual}; both ascending and distinct. */
    public static List<Long> minus(List<Long> expected, List<Long> actual) {
        List<Long> out = new ArrayList<>();
        int j = 0;
        for (long id : expected) {
            while (j < actual.size() && actual.get(j) < id) {
                j++;
            }
            if (j >= actual.size() || actual.get(j) != id) {
                out.add(id);
            }
        }
        return out;
    }

    /** {@code [1,2,3,7,9,10]} becomes {@code ["1-3", "7", "9-10"]}; at most {@code limit} ranges. */
    public static List<String> ranges(List<Long> ids, int limit) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < ids.size() && out.size() < limit) {
            int k = i;
            while (k + 1 < ids.size() && ids.get(k + 1) == ids.get(k) + 1) {
                k++;
            }
            out.add(k == i ? String.valueOf(ids.get(i)) : ids.get(i) + "-" + ids.get(k));
            i = k + 1;
        }
        return out;
    }
}
