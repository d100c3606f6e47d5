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

/**
 * ClickHouse is current, runs ReplacingMergeTree, drops a retried batch by its deduplication token,
 * and its writer user has least privilege.
 */
class ClickHouseStackIT {
    private final StackSettings stack = StackSettings.fromEnv();
    private final String database = "stack_it_" + UUID.randomUUID().toString().replace("-", "");
    private Client client;

    @BeforeEach
    void connect() {
        client = connect(stack.get("CLICKHOUSE_ADMIN_USER", "default"), stack.get("CLICKHOUSE_ADMIN_PASSWORD", ""));
        client.queryAll("CREATE DATABASE " + database);
    }

    private Client connect(String user, String password) {
        return new Client.Builder().addEndpoint(stack.clickHouseUrl()).setUsername(user).setPassword(password)
                .setMaxRetries(0).build();
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

    @Test
    void shouldLetTheWriterUserCreateInsertAndSelectInItsDatabasesAndNothingElse() {
        String own = stack.get("CLICKHOUSE_DATABASE", "pipeline") + "_stack_it_" + UUID.randomUUID().toString().replace("-", "");
        try (Client writer = connect(stack.get("CLICKHOUSE_USER", "default"), stack.get("CLICKHOUSE_PASSWORD", ""));
             Client anonymous = connect("default", "")) {
            writer.queryAll("CREATE DATABASE IF NOT EXISTS " + own);
            writer.queryAll("CREATE TABLE " + own + ".t (id UInt64) ENGINE = ReplacingMergeTree ORDER BY id");
            writer.queryAll("INSERT INTO " + own + ".t VALUES (1)");
            assertThat(writer.queryAll("SELECT count() FROM " + own + ".t FINAL").get(0).getLong(1)).isEqualTo(1);

            assertThat(refusal(writer, "DROP TABLE " + own + ".t")).contains("ACCESS_DENIED");
            assertThat(refusal(writer, "ALTER TABLE " + own + ".t DELETE WHERE 1")).contains("ACCESS_DENIED");
            assertThat(refusal(writer, "CREATE DATABASE other_" + database)).contains("ACCESS_DENIED");
            assertThat(refusal(writer, "SELECT count() FROM " + database + ".t")).containsAnyOf("ACCESS_DENIED", "UNKNOWN_TABLE");
            assertThat(refusal(writer, "SYSTEM STOP MERGES " + own + ".t")).contains("ACCESS_DENIED");
            assertThat(refusal(writer, "SYSTEM STOP LISTEN HTTP")).contains("ACCESS_DENIED");
            assertThat(refusal(anonymous, "SELECT count() FROM " + own + ".t")).containsAnyOf("ACCESS_DENIED", "UNKNOWN_TABLE");
            assertThat(refusal(anonymous, "CREATE DATABASE anonymous_" + database)).contains("ACCESS_DENIED");
        } finally {
            client.queryAll("DROP DATABASE IF EXISTS " + own);
        }
    }

    private static String refusal(Client user, String sql) {
        try {
            user.queryAll(sql);
            return "allowed: " + sql;
        } catch (RuntimeException e) {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            return messages.toString();
        }
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
