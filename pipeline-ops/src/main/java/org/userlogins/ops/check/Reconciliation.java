package org.userlogins.ops.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of accounting for every id that PostgreSQL flags sent: stored in ClickHouse,
 * rejected into the DLQ, never published, or missing; and the ids ClickHouse holds that
 * PostgreSQL does not flag (extra). Only missing and extra ids fail the check.
 *
 * @param postgresSent    ids flagged sent_to_kafka IS TRUE
 * @param rejected        flagged ids absent from ClickHouse that a DLQ record names, ascending
 * @param neverPublished  flagged ids absent from ClickHouse, the events topic and the DLQ, ascending
 * @param notes           what the reader should know to trust the classes (e.g. a topic that is not compacted)
 */
public record Reconciliation(long postgresSent, long clickHouseFinal, long clickHouseRaw, List<Long> missing, List<Long> extra,
                             SortedMap<Long, Rejection> rejected, List<Long> neverPublished, List<String> notes) {
    static final int RANGES = 10;

    public boolean passed() {
        return missing.isEmpty() && extra.isEmpty();
    }

    /** Flagged ids that are in ClickHouse (FINAL). */
    public long stored() {
        return postgresSent - rejected.size() - neverPublished.size() - missing.size();
    }

    /** Rejected ids per reason, by count (then by name). */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> counts = new TreeMap<>();
        rejected.values().forEach(r -> counts.merge(r.reason(), 1L, Long::sum));
        return sortedByCount(counts);
    }

    /** e.g. {@code flagged 3,290 = stored 3,088 + rejected 2 (event_time_out_of_range 2) + never published 200 + missing 0} */
    public String summary() {
        StringBuilder reasons = new StringBuilder();
        rejectedByReason().forEach((reason, n) -> reasons.append(reasons.length() == 0 ? " (" : ", ").append(reason).append(' ')
                .append(String.format("%,d", n)));
        if (reasons.length() > 0) {
            reasons.append(')');
        }
        return String.format("flagged %,d = stored %,d + rejected %,d%s + never published %,d + missing %,d", postgresSent, stored(),
                rejected.size(), reasons, neverPublished.size(), missing.size());
    }

    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("postgres         %,d ids flagged (sent_to_kafka IS TRUE)%n", postgresSent));
        out.append(String.format("clickhouse       %,d rows FINAL, %,d raw%n", clickHouseFinal, clickHouseRaw));
        out.append(summary()).append(System.lineSeparator());
        out.append(String.format("  stored          %,d  (in ClickHouse FINAL)%n", stored()));
        out.append(String.format("  rejected        %,d%s%n", rejected.size(), rejected.isEmpty() ? "" : "  (in the DLQ, which says why)"));
        rejectedGroups().forEach((group, ids) -> out.append(String.format("    %s: %,d  first: %s%n", group, ids.size(),
                String.join(", ", IdDiff.ranges(ids, RANGES)))));
        out.append(String.format("  never published %,d%s%n", neverPublished.size(), neverPublished.isEmpty() ? ""
                : "  first: " + String.join(", ", IdDiff.ranges(neverPublished, RANGES))
                + "  (not in the events topic nor the DLQ: inserted already flagged, or flagged by another writer)"));
        out.append(String.format("  missing         %,d%s%n", missing.size(), missing.isEmpty() ? ""
                : "  first: " + String.join(", ", IdDiff.ranges(missing, RANGES)) + "  (published, not stored, not rejected: lost)"));
        out.append(String.format("extra            %,d%s%n", extra.size(), extra.isEmpty() ? ""
                : "  first: " + String.join(", ", IdDiff.ranges(extra, RANGES)) + "  (in ClickHouse, not flagged in PostgreSQL)"));
        notes.forEach(n -> out.append("note: ").append(n).append(System.lineSeparator()));
        return out.toString();
    }

    /** Rejected ids by "reason at stage", largest group first, each ascending. */
    Map<String, List<Long>> rejectedGroups() {
        Map<String, List<Long>> groups = new TreeMap<>();
        rejected.forEach((id, r) -> groups.computeIfAbsent(r.toString(), k -> new ArrayList<>()).add(id));
        Map<String, List<Long>> ordered = new java.util.LinkedHashMap<>();
        groups.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    private static Map<String, Long> sortedByCount(Map<String, Long> counts) {
        Map<String, Long> ordered = new java.util.LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }
}
