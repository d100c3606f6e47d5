package org.userlogins.bench.reference;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.ops.OpsSettings;

/**
 * ClickHouse's raw bulk insert rate for the same rows with the writer's client and format:
 * client-v2, RowBinary, 100,000-row inserts, into a twin of the writer's table (CREATE TABLE AS),
 * encoding included.
 */
public final class ClickHouseInsertRate {
    private static final int BATCH = 100_000;
    private static final List<String> COLUMNS = List.of("id", "username", "event_type", "event_time", "source_lsn", "committed_at",
            "captured_at", "kafka_partition", "kafka_offset");

    private ClickHouseInsertRate() {
    }

    public static Rate measure(OpsSettings s, String database, int rows) throws Exception {
        try (Client client = new Client.Builder().addEndpoint(s.clickHouseUrl()).setUsername(s.clickHouseUser())
                .setPassword(s.clickHousePassword()).build()) {
            String twin = "`" + database + "`.`raw_insert_reference`";
            client.execute("CREATE TABLE " + twin + " AS `" + database + "`.`user_logins`").get().close();
            long now = System.currentTimeMillis();
            long start = System.nanoTime();
            for (int from = 1; from <= rows; from += BATCH) {
                byte[] batch = encode(from, Math.min(rows, from + BATCH - 1), now);
                client.insert(twin, COLUMNS, new ByteArrayInputStream(batch), ClickHouseFormat.RowBinary).get().close();
            }
            Rate rate = Rate.of(rows, System.nanoTime() - start);
            client.execute("DROP TABLE " + twin).get().close();
            return rate;
        }
    }

    /** RowBinary of the insert columns: Nullable values are a 0 byte then the value, little endian. */
    static byte[] encode(long fromId, long toId, long nowMs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (toId - fromId + 1) * 64);
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        for (long id = fromId; id <= toId; id++) {
            b.clear();
            b.putLong(id);
            string(b, "user" + id % 97);
            string(b, "login");
            b.put((byte) 0).putInt((int) (nowMs / 1000));
            b.put((byte) 0).putLong(24_000_000L + id * 120);
            b.put((byte) 0).putLong(nowMs);
            b.put((byte) 0).putLong(nowMs + 20);
            b.putInt((int) (id % 3));
            b.putLong(id / 3);
            out.write(b.array(), 0, b.position());
        }
        return out.toByteArray();
    }

    private static void string(ByteBuffer b, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        b.put((byte) 0).put((byte) bytes.length).put(bytes); // short strings: a one-byte LEB128 length
    }
}
