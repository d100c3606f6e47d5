package org.userlogins.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Each figure of a run beside an earlier report's, with the change in percent, so a change can be
 * judged against the run-to-run noise. Figures are the reports' numeric fields, matched by path;
 * list entries by what they are (a phase, a process, a rate), not by position.
 */
public final class ReportComparison {
    /** Not figures of the pipeline: who measured, where, and identifiers; and the series over time, drawn by {@link SvgReport}. */
    private static final Set<String> SKIPPED = Set.of("machine", "serviceSettings", "targets", "error", "pid", "samples",
            "streamingRowsPerSecond", "rssMbOverTime");
    /** The field that names a list entry, in order of preference. */
    private static final String[] ENTRY_NAMES = {"phase", "name", "targetRate"};

    private ReportComparison() {
    }

    public static String render(JsonNode earlier, JsonNode now) {
        Map<String, Double> before = figures(earlier);
        Map<String, Double> after = figures(now);
        StringBuilder out = new StringBuilder(String.format("%ncompared with %s (revision %s, %s):%n", earlier.path("machine").path("startedAt").asText("?"),
                earlier.path("machine").path("revision").asText("?"), earlier.path("machine").path("mode").asText("?")));
        out.append(String.format("  %-72s %12s %12s %8s%n", "figure", "earlier", "now", "change"));
        after.forEach((path, value) -> {
            Double old = before.get(path);
            if (old != null) {
                String change = old == 0 ? (value == 0 ? "0%" : "new") : String.format("%+.1f%%", 100 * (value - old) / Math.abs(old));
                out.append(String.format("  %-72s %,12.1f %,12.1f %8s%n", path, old, value, change));
            }
        });
        long onlyBefore = before.keySet().stream().filter(k -> !after.containsKey(k)).count();
        long onlyNow = after.keySet().stream().filter(k -> !before.containsKey(k)).count();
        if (onlyBefore + onlyNow > 0) {
            out.append(String.format("  (%d figures only in the earlier report, %d only in this one)%n", onlyBefore, onlyNow));
        }
        return out.toString();
    }

    /** The numeric leaves by path, e.g. {@code latency[1000].p99Ms} or {@code cpu[streaming (inserts, then drain)].msPer1000Rows.cdc-capture}. */
    static Map<String, Double> figures(JsonNode report) {
        Map<String, Double> figures = new LinkedHashMap<>();
        collect(report, "", figures);
        return figures;
    }

    private static void collect(JsonNode node, String path, Map<String, Double> figures) {
        if (node.isNumber()) {
            figures.put(path, node.asDouble());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!SKIPPED.contains(field.getKey())) {
                    collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), figures);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + entryName(node.get(i), i) + "]", figures);
            }
        }
    }

    private static String entryName(JsonNode entry, int index) {
        for (String field : ENTRY_NAMES) {
            if (entry.hasNonNull(field)) {
                return entry.get(field).asText();
            }
        }
        return Integer.toString(index);
    }
}
