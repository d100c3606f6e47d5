package org.userlogins.ops.probe;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.userlogins.kit.ClickHouseClients;
import org.userlogins.ops.OpsSettings;

/** Read-only questions to the ClickHouse table (identifiers validated and quoted by OpsSettings). */
public final class ClickHouseProbe implements AutoCloseable {
    private final Client client;
    private final String table;

    public ClickHouseProbe(OpsSettings settings) {
        this.client = client(settings);
        this.table = settings.table();
    }

    /** https:// in CLICKHOUSE_URL means TLS, verified against CLICKHOUSE_SSL_ROOT_CERT if set; CLICKHOUSE_CLIENT_* last. */
    static Client client(OpsSettings settings) {
        return ClickHouseClients.build(settings.clickHouseUrl(), settings.clickHouseUser(), settings.clickHousePassword(),
                settings.clickHouseRootCert(), settings.clickHouseClient(), b -> b);
    }

    public boolean tableExists() {
        String[] parts = table.replace("`", "").split("\\.");
        return single("SELECT count() FROM system.tables WHERE database = '" + parts[0] + "' AND name = '" + parts[1] + "'") > 0;
    }

    public long count(boolean whenFinal) {
        return single("SELECT count() FROM " + table + (whenFinal ? " FINAL" : ""));
    }

    /** Per bucket of ids (intDiv(id, width)), over FINAL: count and sum of ids. */
    public Map<Long, long[]> buckets(long width) {
        Map<Long, long[]> buckets = new HashMap<>();
        for (GenericRecord r : client.queryAll("SELECT intDiv(id, " + width + ") AS b, count(), sum(id) FROM " + table
                + " FINAL GROUP BY b")) {
            buckets.put(r.getLong(1), new long[] {r.getLong(2), r.getLong(3)});
        }
        return buckets;
    }

    public List<Long> ids(long bucket, long width) {
        List<Long> ids = new ArrayList<>();
        for (GenericRecord r : client.queryAll("SELECT DISTINCT id FROM " + table + " WHERE id >= " + bucket * width
                + " AND id < " + (bucket + 1) * width + " ORDER BY id")) {
            ids.add(r.getLong(1));
        }
        return ids;
    }

    public List<GenericRecord> query(String sql) {
        return client.queryAll(sql);
    }

    public String table() {
        return table;
    }

    public long single(String sql) {
        return client.queryAll(sql).get(0).getLong(1);
    }

    @Override
    public void close() {
        client.close();
    }
}
