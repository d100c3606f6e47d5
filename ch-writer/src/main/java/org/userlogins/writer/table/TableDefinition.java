package org.userlogins.writer.table;

/**
 * The DDL of the writer's table, as text (no I/O). Identifiers arrive validated by
 * {@code Env.identifier} and are always backquoted.
 *
 * <p>Why this shape:
 * <ul>
 * <li>{@code ReplacingMergeTree} with {@code ORDER BY id}: the sorting key is the dedupe key, so a
 * replayed or re-sent event collapses by id; {@code SELECT ... FINAL} shows each id once.</li>
 * <li>Version column {@code first_copy_version = -ingested_at(ms)}: ReplacingMergeTree keeps the
 * row with the highest version, so the copy stored first wins (with no version it would keep the
 * last inserted). It is MATERIALIZED: computed by the server, hidden from {@code SELECT *}.</li>
 * <li>No {@code PARTITION BY}: ReplacingMergeTree only collapses rows within one partition, so a
 * partition key would have to be a function of id; an id range gains nothing at this table's
 * size (rows are small; merges and FINAL over one partition are cheap), and a time key is not
 * possible (event_time is Nullable and not part of the dedupe key).</li>
 * <li>{@code non_replicated_deduplication_window}: makes the server remember the last 10,000 insert
 * tokens, so a retried batch with the same {@code insert_deduplication_token} is not stored twice.
 * Replicated engines use {@code replicated_deduplication_window} (on by default).</li>
 * <li>{@code event_time} is {@code DateTime} (seconds, the seed's rule); lineage times are
 * {@code DateTime64(3)} because they are milliseconds.</li>
 * </ul>
 */
public final class TableDefinition {
    /** The columns the writer inserts, in RowBinary order; ingested_at and the version are server-side. */
    public static final java.util.List<String> INSERT_COLUMNS = java.util.List.of(
            "id", "username", "event_type", "event_time", "source_lsn", "committed_at", "captured_at",
            "kafka_partition", "kafka_offset");

    private TableDefinition() {
    }

    public static String quoted(String database, String table) {
        return "`" + database + "`.`" + table + "`";
    }

    public static String createDatabase(String database, String cluster) {
        return "CREATE DATABASE IF NOT EXISTS `" + database + "`" + onCluster(cluster);
    }

    public static String createTable(String database, String table, String engine, String cluster) {
        return "CREATE TABLE IF NOT EXISTS " + quoted(database, table) + onCluster(cluster) + """
                
                (
                    id UInt64,
                    username Nullable(String),
                    event_type Nullable(String),
                    event_time Nullable(DateTime('UTC')),
                    source_lsn Nullable(UInt64),
                    committed_at Nullable(DateTime64(3, 'UTC')),
                    captured_at Nullable(DateTime64(3, 'UTC')),
                    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
                    kafka_partition UInt32,
                    kafka_offset UInt64,
                    first_copy_version Int64 MATERIALIZED -toUnixTimestamp64Milli(ingested_at)
                )
                """ + "ENGINE = " + engine + "\nORDER BY id\nSETTINGS non_replicated_deduplication_window = 10000";
    }

    private static String onCluster(String cluster) {
        return cluster == null || cluster.isEmpty() ? "" : " ON CLUSTER `" + cluster + "`";
    }
}
