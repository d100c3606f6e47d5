package org.userlogins.writer.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether an existing table can take the writer's rows (pure; the caller reads
 * {@code system.columns} and {@code system.tables}). The types must match what the RowBinary
 * encoder writes, so they are checked exactly, up to time zones and LowCardinality.
 */
public final class TableShape {
    private static final String TZ = "(\\('[^']*'\\))?";
    private static final String TZ64 = "\\(3(,'[^']*')?\\)";
    private static final String NULLABLE_STRING = "Nullable\\(String\\)|LowCardinality\\(Nullable\\(String\\)\\)";
    private static final Map<String, Pattern> REQUIRED = new LinkedHashMap<>();

    static {
        REQUIRED.put("id", Pattern.compile("UInt64"));
        REQUIRED.put("username", Pattern.compile(NULLABLE_STRING));
        REQUIRED.put("event_type", Pattern.compile(NULLABLE_STRING));
        REQUIRED.put("event_time", Pattern.compile("Nullable\\(DateTime" + TZ + "\\)"));
        REQUIRED.put("source_lsn", Pattern.compile("Nullable\\(UInt64\\)"));
        REQUIRED.put("committed_at", Pattern.compile("Nullable\\(DateTime64" + TZ64 + "\\)"));
        REQUIRED.put("captured_at", Pattern.compile("Nullable\\(DateTime64" + TZ64 + "\\)"));
        REQUIRED.put("ingested_at", Pattern.compile("DateTime64" + TZ64));
        REQUIRED.put("kafka_partition", Pattern.compile("UInt32"));
        REQUIRED.put("kafka_offset", Pattern.compile("UInt64"));
    }

    private TableShape() {
    }

    /** Every reason the table does not fit, empty when it fits. */
    public static List<String> mismatches(List<ColumnInfo> columns, String engine, String sortingKey) {
        List<String> problems = new ArrayList<>();
        Map<String, ColumnInfo> byName = columns.stream()
                .collect(Collectors.toMap(ColumnInfo::name, Function.identity(), (a, b) -> a));
        REQUIRED.forEach((name, type) -> {
            ColumnInfo column = byName.get(name);
            if (column == null) {
                problems.add("column " + name + " is missing");
            } else if (!type.matcher(column.type().replace(" ", "")).matches()) {
                problems.add("column " + name + " is " + column.type() + ", expected " + expected(name));
            }
        });
        ColumnInfo ingested = byName.get("ingested_at");
        if (ingested != null && ingested.defaultKind().isEmpty()) {
            problems.add("column ingested_at has no DEFAULT (expected DEFAULT now64(3))");
        }
        if (engine == null || !engine.endsWith("ReplacingMergeTree")) {
            problems.add("engine is " + engine + ", expected a ReplacingMergeTree (dedupe by id)");
        }
        String firstKey = sortingKey == null ? "" : sortingKey.split(",")[0].trim();
        if (!firstKey.equals("id")) {
            problems.add("sorting key is (" + sortingKey + "), expected ORDER BY id");
        }
        return problems;
    }

    private static String expected(String column) {
        return switch (column) {
            case "id", "kafka_offset" -> "UInt64";
            case "kafka_partition" -> "UInt32";
            case "username", "event_type" -> "Nullable(String)";
            case "event_time" -> "Nullable(DateTime('UTC'))";
            case "source_lsn" -> "Nullable(UInt64)";
            case "ingested_at" -> "DateTime64(3, 'UTC')";
            default -> "Nullable(DateTime64(3, 'UTC'))";
        };
    }
}
