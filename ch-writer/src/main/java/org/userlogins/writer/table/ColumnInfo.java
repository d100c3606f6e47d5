package org.userlogins.writer.table;

/** One row of {@code system.columns}: name, type as ClickHouse spells it, and default kind ("" when none). */
public record ColumnInfo(String name, String type, String defaultKind) {
}
