package org.userlogins.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ClickHouse is current, runs ReplacingMergeTree, and drops a retried batch by its deduplication token. */
class ClickHouseStackIT {
    private final StackSettings stack = StackSettings.fromEnv();
    private final String database = "stack_it_" + UUID.randomUUID().toString().replace("-", "");
    private Client client;

    @BeforeEach
    void connect() {
        client = new Client.Builder()
                .addEndpoint(stack.clickHouseUrl())
                .setUsername(stack.get("CLICKHOUSE_USER", "default"))
                .setPassword(stack.get("CLICKHOUSE_PASSWORD", ""))
                .build();
        client.queryAll("CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() {
        client.queryAll("DROP DATABASE IF EXISTS " + database);
        client.close();
    }

    @Test
    void shouldBeAtLeastVersion24() {
        String version = client.queryAll("SELECT version()").get(0).getString(1);
        assertThat(Integer.parseInt(version.split("\\.")[0])).isGreaterThanOrEqualTo(24);
    }

    @Test
    void shouldDropARetriedBatchWithTheSameDeduplicationToken() throws Exception {
        client.queryAll("CREATE TABLE " + database + ".t (id UInt64, name Nullable(String), at DateTime('UTC')) "
                + "ENGINE = ReplacingMergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100");
        byte[] batch = batch(1, 1000);

        insert(batch, "t:p0:0-999");
        insert(batch, "t:p0:0-999"); // the retry of the same batch
        assertThat(count("SELECT count() FROM " + database + ".t")).isEqualTo(1000);

        insert(batch(500, 1000), "t:p0:1000-1999"); // a new batch that repeats ids 500..999
        assertThat(count("SELECT count() FROM " + database + ".t")).isEqualTo(2000);
        assertThat(count("SELECT count() FROM " + database + ".t FINAL")).isEqualTo(1499);
        assertThat(client.queryAll("SELECT toUnixTimestamp(at) FROM " + database + ".t WHERE id = 7").get(0).getLong(1))
                .isEqualTo(1732400007L);
    }

    private void insert(byte[] jsonEachRow, String token) throws Exception {
        client.insert(database + ".t", new ByteArrayInputStream(jsonEachRow), ClickHouseFormat.JSONEachRow,
                new InsertSettings().setDeduplicationToken(token)).get(30, TimeUnit.SECONDS).close();
    }

    private long count(String sql) {
        return client.queryAll(sql).get(0).getLong(1);
    }

    private static byte[] batch(int firstId, int rows) {
        StringBuilder json = new StringBuilder();
        for (int id = firstId; id < firstId + rows; id++) {
            json.append("{\"id\":").append(id).append(",\"name\":\"user").append(id)
                    .append("\",\"at\":").append(1732400000L + id).append("}\n");
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
