package org.userlogins.writer.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableShapeTest {
    /** The columns as system.columns describes the table the writer creates. */
    static List<ColumnInfo> created() {
        return new ArrayList<>(List.of(
                new ColumnInfo("id", "UInt64", ""),
                new ColumnInfo("username", "Nullable(String)", ""),
                new ColumnInfo("event_type", "Nullable(String)", ""),
                new ColumnInfo("event_time", "Nullable(DateTime('UTC'))", ""),
                new ColumnInfo("source_lsn", "Nullable(UInt64)", ""),
                new ColumnInfo("committed_at", "Nullable(DateTime64(3, 'UTC'))", ""),
                new ColumnInfo("captured_at", "Nullable(DateTime64(3, 'UTC'))", ""),
                new ColumnInfo("ingested_at", "DateTime64(3, 'UTC')", "DEFAULT"),
                new ColumnInfo("kafka_partition", "UInt32", ""),
                new ColumnInfo("kafka_offset", "UInt64", ""),
                new ColumnInfo("first_copy_version", "Int64", "MATERIALIZED")));
    }

    @Test
    void shouldAcceptTheTableTheWriterCreates() {
        assertThat(TableShape.mismatches(created(), "ReplacingMergeTree", "id")).isEmpty();
        assertThat(TableShape.mismatches(created(), "ReplicatedReplacingMergeTree", "id, kafka_offset")).isEmpty();
    }

    @Test
    void shouldAcceptEquivalentSpellingsOfTheTypes() {
        List<ColumnInfo> columns = created();
        columns.set(2, new ColumnInfo("event_type", "LowCardinality(Nullable(String))", ""));
        columns.set(3, new ColumnInfo("event_time", "Nullable(DateTime)", ""));
        columns.set(5, new ColumnInfo("committed_at", "Nullable(DateTime64(3))", ""));

        assertThat(TableShape.mismatches(columns, "ReplacingMergeTree", "id")).isEmpty();
    }

    @Test
    void shouldNameAMissingColumn() {
        List<ColumnInfo> columns = created();
        columns.removeIf(c -> c.name().equals("kafka_offset"));

        assertThat(TableShape.mismatches(columns, "ReplacingMergeTree", "id")).containsExactly("column kafka_offset is missing");
    }

    @Test
    void shouldNameAWrongType() {
        List<ColumnInfo> columns = created();
        columns.set(3, new ColumnInfo("event_time", "DateTime64(6)", ""));
        columns.set(1, new ColumnInfo("username", "String", ""));

        assertThat(TableShape.mismatches(columns, "ReplacingMergeTree", "id")).containsExactly(
                "column username is String, expected Nullable(String)",
                "column event_time is DateTime64(6), expected Nullable(DateTime('UTC'))");
    }

    @Test
    void shouldRefuseAnotherEngineOrSortingKey() {
        assertThat(TableShape.mismatches(created(), "MergeTree", "event_time, id")).containsExactly(
                "engine is MergeTree, expected a ReplacingMergeTree (dedupe by id)",
                "sorting key is (event_time, id), expected ORDER BY id");
    }

    @Test
    void shouldRefuseAnIngestedAtWithoutDefault() {
        List<ColumnInfo> columns = created();
        columns.set(7, new ColumnInfo("ingested_at", "DateTime64(3, 'UTC')", ""));

        assertThat(TableShape.mismatches(columns, "ReplacingMergeTree", "id")).containsExactly(
                "column ingested_at has no DEFAULT (expected DEFAULT now64(3))");
    }

    @Test
    void shouldQuoteIdentifiersAndAddTheClusterClause() {
        String ddl = TableDefinition.createTable("db", "t", "ReplacingMergeTree(first_copy_version)", "c1");

        assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS `db`.`t` ON CLUSTER `c1`")
                .contains("ENGINE = ReplacingMergeTree(first_copy_version)").contains("ORDER BY id")
                .contains("non_replicated_deduplication_window = 1000");
        assertThat(TableDefinition.createDatabase("db", "")).isEqualTo("CREATE DATABASE IF NOT EXISTS `db`");
    }
}
