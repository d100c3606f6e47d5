package org.userlogins.bench.writer;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.writer.WriterApp;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.config.WriterSettings;
import org.userlogins.writer.sink.RowBinaryEncoder;
import org.userlogins.writer.table.TableDefinition;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;
import org.userlogins.ops.launch.IsolatedRun;

/**
 * Measures the writer: pre-fills a fresh topic with N clean records (default 200,000), runs the
 * writer until it inserted them all (rows/s from its launch, and from the first to the last inserted
 * row), then ClickHouse's own Kafka engine on the same topic (a Kafka table and a materialized view
 * into a twin of the writer's table, its own consumer group; timed from its CREATE until the twin
 * holds N rows), then the same rows with a bare client-v2 RowBinary bulk insert into a twin table.
 * Uses the environment's Kafka and ClickHouse and a throw-away topic and database; a tool, so it
 * prints to stdout. Usage: {@code ./pipeline bench --writer [rows]}.
 */
public final class WriterBench {
    private WriterBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(IsolatedRun.of("bench").env()); // its own topics, group and database
        env.put("WRITER_OPS_PORT", "0");
        WriterSettings s = WriterSettings.fromEnv(env);
        List<UserEvent> events = new ArrayList<>(n);
        long now = System.currentTimeMillis();
        for (long id = 1; id <= n; id++) {
            events.add(new UserEvent(id, "user" + id, id % 3 == 0 ? "purchase" : "login", 1_732_400_000L + id, id * 100, now, now));
        }
        try (Admin admin = Admin.create(KafkaProbe.adminConfig(OpsSettings.fromEnv(new Env(env))));
             // The twin table and the cleanup need more than the writer's least-privilege user may do.
             Client client = s.clickHouseClient(builder -> builder
                     .setUsername(env.getOrDefault("CLICKHOUSE_ADMIN_USER", s.clickHouseUser()))
                     .setPassword(env.getOrDefault("CLICKHOUSE_ADMIN_PASSWORD", s.clickHousePassword())))) {
            TopicSetup.create(admin, List.of(TopicSpec.clean(s.cleanTopic()), TopicSpec.dlq(s.dlqTopic())));
            try {
                fill(s, events);
                System.out.printf("writer (%s): %s%n", s.batch(), runWriter(s, n));
                System.out.printf("ClickHouse Kafka engine (JSONEachRow, materialized view): %s%n", kafkaEngine(client, s, n,
                        env.getOrDefault("BENCH_KAFKA_ENGINE_BROKERS", s.bootstrapServers())));
                System.out.printf("bare client-v2 RowBinary bulk insert, 100k-row batches: %s%n", rawInsert(client, s, events));
            } finally {
                admin.deleteTopics(List.of(s.cleanTopic(), s.dlqTopic())).all().get();
                client.execute("DROP DATABASE IF EXISTS `" + s.database() + "`").get().close();
            }
        }
    }

    private static void fill(WriterSettings s, List<UserEvent> events) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", s.bootstrapServers());
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("compression.type", "lz4");
        p.putAll(s.kafkaClient().properties());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (UserEvent e : events) {
                producer.send(new ProducerRecord<>(s.cleanTopic(), Long.toString(e.id()).getBytes(), UserEventJson.write(e)),
                        (metadata, error) -> failure.compareAndSet(null, error));
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("filling the topic failed: " + failure.get(), failure.get());
            }
        }
    }

    private static String runWriter(WriterSettings s, int n) throws Exception {
        long launched = System.nanoTime();
        WriterApp app = new WriterApp(s);
        Thread thread = new Thread(() -> {
            try {
                app.run();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "writer");
        thread.start();
        long first = 0;
        double firstBatch = 0;
        while (true) {
            Counter rows = app.registry().find("writer.rows.inserted").counter();
            double count = rows == null ? 0 : rows.count();
            if (count > 0 && first == 0) {
                first = System.nanoTime();
                firstBatch = count;
            }
            if (count >= n) {
                break;
            }
            Thread.sleep(5);
        }
        long end = System.nanoTime();
        long millis = TimeUnit.NANOSECONDS.toMillis(end - first);
        long fromLaunch = TimeUnit.NANOSECONDS.toMillis(end - launched);
        app.stop();
        thread.join(30_000);
        app.close();
        // The rate after the first insert, so that group join and startup do not count.
        long after = n - (long) firstBatch;
        return String.format("%d rows in %d ms from launch = %,d rows/s; %d rows in %d ms after the first insert (of %d rows) = %,d rows/s",
                n, fromLaunch, n * 1000L / Math.max(1, fromLaunch), after, millis, (long) firstBatch, after * 1000L / Math.max(1, millis));
    }

    /**
     * ClickHouse reading the topic itself: the peer a user could wire instead of the writer. Same
     * rows, same twin table; timed from creating the engine's tables until the twin holds them all.
     */
    private static String kafkaEngine(Client client, WriterSettings s, int n, String brokers) throws Exception {
        String db = "`" + s.database() + "`";
        client.execute(TableDefinition.createTable(s.database(), "engine_copy", WriterSettings.DEFAULT_ENGINE, "")).get().close();
        long started = System.nanoTime();
        client.execute("CREATE TABLE " + db + ".kafka_source (id UInt64, username Nullable(String), event_type Nullable(String), "
                + "event_time Nullable(Int64), source_lsn Nullable(UInt64), commit_ts_ms Nullable(Int64), capture_ts_ms Nullable(Int64)) "
                + "ENGINE = Kafka SETTINGS kafka_broker_list = '" + brokers + "', kafka_topic_list = '" + s.cleanTopic()
                + "', kafka_group_name = '" + s.groupId() + "_engine', kafka_format = 'JSONEachRow', kafka_num_consumers = 1").get().close();
        client.execute("CREATE MATERIALIZED VIEW " + db + ".kafka_view TO " + db + ".engine_copy AS SELECT id, username, event_type, "
                + "toDateTime(event_time, 'UTC') AS event_time, source_lsn, fromUnixTimestamp64Milli(commit_ts_ms, 'UTC') AS committed_at, "
                + "fromUnixTimestamp64Milli(capture_ts_ms, 'UTC') AS captured_at, _partition AS kafka_partition, _offset AS kafka_offset "
                + "FROM " + db + ".kafka_source").get().close();
        long deadline = started + TimeUnit.MINUTES.toNanos(10);
        long stored = 0;
        while (stored < n && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling a count: ClickHouse offers nothing to wait on
            stored = client.queryAll("SELECT count() FROM " + db + ".engine_copy").get(0).getLong(1);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        client.execute("DROP TABLE " + db + ".kafka_view").get().close();
        client.execute("DROP TABLE " + db + ".kafka_source").get().close();
        if (stored < n) {
            return String.format("only %,d of %,d rows after %d ms (see ClickHouse's log)", stored, n, millis);
        }
        return String.format("%d rows in %d ms from its CREATE = %,d rows/s", n, millis, n * 1000L / Math.max(1, millis));
    }

    private static String rawInsert(Client client, WriterSettings s, List<UserEvent> events) throws Exception {
        client.execute(TableDefinition.createTable(s.database(), "raw_copy", WriterSettings.DEFAULT_ENGINE, "")).get().close();
        RowBinaryEncoder encoder = new RowBinaryEncoder();
        long started = System.nanoTime();
        for (int from = 0; from < events.size(); from += 100_000) {
            List<Row> rows = new ArrayList<>();
            for (int i = from; i < Math.min(events.size(), from + 100_000); i++) {
                rows.add(new Row(events.get(i), new ConsumerRecord<>("bench", i % 3, i, null, null)));
            }
            client.insert(TableDefinition.quoted(s.database(), "raw_copy"), TableDefinition.INSERT_COLUMNS,
                    new ByteArrayInputStream(encoder.encode(rows)), ClickHouseFormat.RowBinary).get().close();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return String.format("%d rows in %d ms = %,d rows/s (encoding included)", events.size(), millis,
                events.size() * 1000L / Math.max(1, millis));
    }
}
