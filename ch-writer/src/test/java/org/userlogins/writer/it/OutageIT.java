package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.Client;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.userlogins.events.UserEvent;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * ClickHouse (a private server of this test) stops for ~30 s mid-stream and starts again: every row
 * arrives, none twice in FINAL, the writer never exits, /health says "retrying" meanwhile, and
 * SIGTERM afterwards stops gracefully with everything committed.
 */
class OutageIT {
    private static final long OUTAGE_SECONDS = Long.getLong("chw.outage.seconds", 30);
    private final String topic = ItSupport.unique("chw_clean");
    private final String dlq = ItSupport.unique("chw_dlq");
    private final String group = ItSupport.unique("chw_group");
    private final String db = ItSupport.unique("pipeline_it_chw");
    private final HttpClient http = HttpClient.newHttpClient();
    private PrivateClickHouse server;

    @BeforeEach
    void setUp() throws Exception {
        ItSupport.createTopics(topic, dlq);
        server = new PrivateClickHouse();
        server.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        ItSupport.deleteTopics(topic, dlq);
        server.close();
    }

    @Test
    void shouldLoseNothingAndNeverExitWhenClickHouseIsDownForAWhile() throws Exception {
        int opsPort = freePort();
        Map<String, String> env = ItSupport.writerEnv(topic, dlq, group, db, server.url());
        env.put("WRITER_OPS_PORT", Integer.toString(opsPort));
        env.put("WRITER_RETRY_MAX", "PT5S");
        try (ServiceProcess writer = WriterProcess.start("outage-" + group, env);
             Client ch = ItSupport.clickHouse(server.url())) {
            ItSupport.produce(topic, ItSupport.events(1, 1_000), null);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ItSupport.count(ch, db, "user_logins", true) == 1_000);

            server.stop();
            long stoppedAt = System.nanoTime();
            for (int chunk = 0; chunk < 10; chunk++) {
                ItSupport.produce(topic, ItSupport.events(1_001 + chunk * 200L, 200), null);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> health(opsPort).contains("\"status\":\"retrying\""));
            // The outage itself is what is tested: keep ClickHouse down for its full length.
            Thread.sleep(Math.max(0, Duration.ofSeconds(OUTAGE_SECONDS).toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
            assertThat(writer.isAlive()).as("writer alive after the outage").isTrue();

            server.start();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ItSupport.count(ch, db, "user_logins", true) == 3_000);
            await().atMost(Duration.ofSeconds(30)).until(this::allCommitted);
            await().atMost(Duration.ofSeconds(30)).until(() -> health(opsPort).contains("\"status\":\"running\""));
            long raw = ItSupport.count(ch, db, "user_logins", false);
            System.out.printf("[OutageIT] outage %d s, sent 3000, FINAL %d, raw %d, writer alive %s%n", OUTAGE_SECONDS,
                    ItSupport.count(ch, db, "user_logins", true), raw, writer.isAlive());
            assertThat(writer.isAlive()).isTrue();
            assertThat(writer.output()).contains("retrying the same batch");
            assertThat(metrics(opsPort)).contains("writer_rows_inserted_total", "writer_insert_retries_total",
                    "writer_batch_rows_bucket", "writer_insert_latency_seconds_bucket", "writer_end_to_end_latency_seconds_bucket",
                    "kafka_consumer_fetch_manager_records_lag_max");
            assertThat(writer.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM (128+15, after the graceful stop)").isEqualTo(143);
            assertThat(writer.output()).contains("stop requested").contains("closed");
        }
    }

    /**
     * Memory: a backlog of ~360 MB of large records arrives while ClickHouse is down, and batches may
     * wait long (WRITER_BATCH_MAX_WAIT=PT20S, longer than the backlog takes to arrive), so only
     * WRITER_BATCH_MAX_BYTES ends a batch: the writer (-Xmx256m) holds one bounded batch, stays alive and in the group, and stores everything
     * once ClickHouse is back. Without the byte cap it would gather all 400 rows and run out of heap.
     */
    @Test
    void shouldHoldOnlyABoundedBatchWhenClickHouseIsDownWithABacklogOfLargeRecords() throws Exception {
        int opsPort = freePort();
        Map<String, String> env = ItSupport.writerEnv(topic, dlq, group, db, server.url());
        env.put("WRITER_OPS_PORT", Integer.toString(opsPort));
        env.put("WRITER_BATCH_MAX_WAIT", "PT20S");
        try (ServiceProcess writer = WriterProcess.start("memory-" + group, env);
             Client ch = ItSupport.clickHouse(server.url())) {
            // "running" comes after the table is checked and the consumer subscribed; the table merely
            // existing is not enough: stopping ClickHouse while the writer still reads its shape keeps
            // the writer in its start-up wait, where it never forms a batch.
            await().atMost(Duration.ofSeconds(60)).until(() -> health(opsPort).contains("\"status\":\"running\""));
            server.stop();
            String large = "z".repeat(900_000);
            for (int chunk = 0; chunk < 8; chunk++) {
                List<UserEvent> events = new ArrayList<>();
                for (int i = 1; i <= 50; i++) {
                    events.add(UserEvent.of(chunk * 50L + i, large, "login", 1L));
                }
                ItSupport.produce(topic, events, null);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> health(opsPort).contains("\"status\":\"retrying\""));
            long peakWhileDown = writer.peakRssMib();
            assertThat(writer.isAlive()).isTrue();

            server.start();
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> ItSupport.count(ch, db, "user_logins", false) == 400);
            await().atMost(Duration.ofSeconds(30)).until(this::allCommitted);
            long peak = writer.peakRssMib();
            System.out.printf("[OutageIT] 400 records of 900 KB (~360 MB) behind a ClickHouse outage: writer peak RSS %d MiB while down, "
                    + "%d MiB overall (-Xmx256m, WRITER_BATCH_MAX_BYTES 16 MiB)%n", peakWhileDown, peak);
            assertThat(writer.output()).doesNotContain("OutOfMemoryError");
            assertThat(peak).as("peak RSS in MiB: heap cap 256 + JVM overhead").isLessThan(600);
            assertThat(ItSupport.count(ch, db, "user_logins", false)).as("raw count").isEqualTo(400);
            assertThat(writer.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    /**
     * Memory with many small rows: a backlog of 1,000,000 rows arrives while ClickHouse is down. The
     * writer (-Xmx256m) holds one batch of at most WRITER_BATCH_ROWS rows and WRITER_BATCH_MAX_BYTES,
     * pauses its partitions, and once ClickHouse is back stores every row exactly once (raw count,
     * no FINAL).
     */
    @Test
    void shouldHoldOnlyOneBatchWhenClickHouseIsDownWithAMillionRowBacklog() throws Exception {
        int opsPort = freePort();
        Map<String, String> env = ItSupport.writerEnv(topic, dlq, group, db, server.url());
        env.put("WRITER_OPS_PORT", Integer.toString(opsPort));
        try (ServiceProcess writer = WriterProcess.start("backlog-" + group, env);
             Client ch = ItSupport.clickHouse(server.url())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> health(opsPort).contains("\"status\":\"running\""));
            server.stop();
            for (int chunk = 0; chunk < 10; chunk++) {
                ItSupport.produce(topic, ItSupport.events(1 + chunk * 100_000L, 100_000), null);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> health(opsPort).contains("\"status\":\"retrying\""));
            long peakWhileDown = writer.peakRssMib();
            assertThat(writer.isAlive()).isTrue();

            server.start();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> ItSupport.count(ch, db, "user_logins", false) >= 1_000_000);
            await().atMost(Duration.ofSeconds(30)).until(this::allCommitted);
            long peak = writer.peakRssMib();
            System.out.printf("[OutageIT] 1,000,000-row backlog behind a ClickHouse outage: writer peak RSS %d MiB while down, "
                    + "%d MiB overall (-Xmx256m)%n", peakWhileDown, peak);
            assertThat(writer.output()).doesNotContain("OutOfMemoryError");
            assertThat(peak).as("peak RSS in MiB: heap cap 256 + JVM overhead").isLessThan(600);
            assertThat(ItSupport.count(ch, db, "user_logins", false)).as("raw count, no FINAL").isEqualTo(1_000_000);
            assertThat(writer.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    private String metrics(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String health(int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    private boolean allCommitted() throws Exception {
        Map<TopicPartition, Long> end = ItSupport.endOffsets(topic);
        Map<TopicPartition, Long> committed = ItSupport.committed(group);
        return end.entrySet().stream().allMatch(e -> e.getValue().equals(committed.get(e.getKey())));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
