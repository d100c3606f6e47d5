package org.userlogins.writer.table;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.writer.config.WriterSettings;

/**
 * Creates the database and the table when missing ({@code IF NOT EXISTS}), then reads the existing
 * table's shape from {@code system.columns} and {@code system.tables} and refuses it when rows would
 * not fit ({@link IncompatibleTableException}, naming each mismatch).
 */
public final class ClickHouseTable {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseTable.class);

    private final Client client;
    private final WriterSettings settings;

    public ClickHouseTable(Client client, WriterSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    public String qualifiedName() {
        return settings.database() + "." + settings.table();
    }

    public void ensure() throws Exception {
        String db = settings.database();
        String table = settings.table();
        execute(TableDefinition.createDatabase(db, settings.cluster()));
        execute(TableDefinition.createTable(db, table, settings.tableEngine(), settings.cluster()));
        Map<String, Object> where = Map.of("db", db, "table", table);
        List<ColumnInfo> columns = client.queryAll(
                "SELECT name, type, default_kind FROM system.columns WHERE database = {db:String} AND table = {table:String}",
                where, null).stream()
                .map(r -> new ColumnInfo(r.getString("name"), r.getString("type"), r.getString("default_kind")))
                .toList();
        List<GenericRecord> tables = client.queryAll(
                "SELECT engine, sorting_key FROM system.tables WHERE database = {db:String} AND name = {table:String}",
                where, null);
        String engine = tables.isEmpty() ? null : tables.get(0).getString("engine");
        String sortingKey = tables.isEmpty() ? null : tables.get(0).getString("sorting_key");
        List<String> problems = TableShape.mismatches(columns, engine, sortingKey);
        if (!problems.isEmpty()) {
            throw new IncompatibleTableException("table " + db + "." + table + " exists but does not fit the writer: "
                    + String.join("; ", problems) + ". Drop or rename it, or set WRITER_TABLE to another name.");
        }
        LOG.info("table {}.{} ready (engine {}, order by {})", db, table, engine, sortingKey);
    }

    private void execute(String sql) throws Exception {
        client.execute(sql).get(60, TimeUnit.SECONDS).close();
    }

    /** The table exists with a shape the writer cannot insert into; a configuration error. */
    public static final class IncompatibleTableException extends RuntimeException {
        public IncompatibleTableException(String message) {
            super(message);
        }
    }
}
