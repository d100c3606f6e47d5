package org.userlogins.writer.replay;

import java.util.Map;
import java.util.TreeMap;

/**
 * The offsets a reset moves to and how many records the writer will read again (pure): per
 * partition, committed minus new offset, never negative. A partition with no committed offset
 * counts from its earliest offset, where the group would start anyway (auto.offset.reset=earliest).
 */
public record ReplayPlan(Map<Integer, Long> committed, Map<Integer, Long> target) {
    public static ReplayPlan of(Map<Integer, Long> committed, Map<Integer, Long> earliest, Map<Integer, Long> target) {
        Map<Integer, Long> from = new TreeMap<>();
        target.keySet().forEach(p -> from.put(p, committed.getOrDefault(p, earliest.getOrDefault(p, 0L))));
        return new ReplayPlan(from, new TreeMap<>(target));
    }

    public long recordsToReRead() {
        return target.entrySet().stream()
                .mapToLong(e -> Math.max(0, committed.get(e.getKey()) - e.getValue()))
                .sum();
    }

    public String describe() {
        StringBuilder out = new StringBuilder();
        target.forEach((p, to) -> out.append(String.format("  partition %d: %d -> %d (%d to re-read)%n",
                p, committed.get(p), to, Math.max(0, committed.get(p) - to))));
        return out.toString();
    }
}
