package org.userlogins.writer.sink;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.client.api.query.GenericRecord;
import java.io.ByteArrayInputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.table.TableDefinition;

/**
 * One RowBinary INSERT per call through client-v2, with {@code insert_deduplication_token} set to
 * the batch's token: the server drops an insert whose token it stored recently. {@code async_insert}
 * is off whatever the user's profile says: an insert is then its own part and its own entry in the
 * deduplication window, and a row a constraint refuses is numbered within this insert's rows.
 */
public final class ClickHouseRowSink implements RowSink {
    private final Client client;
    private final String table;
    private final long timeoutSeconds;
    private final RowBinaryEncoder encoder = new RowBinaryEncoder();

    public ClickHouseRowSink(Client client, String database, String table, long timeoutSeconds) {
        this.client = client;
        this.table = TableDefinition.quoted(database, table);
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public void insert(List<Row> rows, String dedupToken) throws InsertException {
        byte[] payload = encoder.encode(rows);
        InsertSettings settings = new InsertSettings().setDeduplicationToken(dedupToken).serverSetting("async_insert", "0");
        try (InsertResponse ignored = client.insert(table, TableDefinition.INSERT_COLUMNS,
                new ByteArrayInputStream(payload), ClickHouseFormat.RowBinary, settings)
                .get(timeoutSeconds, TimeUnit.SECONDS)) {
            // accepted: the server answered 200 after writing the parts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InsertException(InsertException.Kind.TRANSIENT, "interrupted", e);
        } catch (Exception e) {
            throw InsertErrors.classify(e);
        }
    }

    @Override
    public Set<Long> storedIds(Collection<Long> ids) throws InsertException {
        Set<Long> stored = new HashSet<>();
        if (ids.isEmpty()) {
            return stored;
        }
        String list = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        try {
            for (GenericRecord r : client.queryAll("SELECT DISTINCT id FROM " + table + " WHERE id IN (" + list + ")")) {
                stored.add(r.getLong(1));
            }
            return stored;
        } catch (Exception e) {
            throw InsertErrors.classify(e);
        }
    }
}
