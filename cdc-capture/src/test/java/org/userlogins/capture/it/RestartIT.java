package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * The service as a process, stopped mid-stream while rows keep arriving, then started again:
 * nothing is lost, and what is sent twice stays within the window that was not yet committed.
 */
class RestartIT {
    private static final int MAX_BATCH = 500;
    /** Insert rate ceiling: 20 rows every 20 ms. */
    private static final int ROWS_PER_SECOND = 1000;
    /** Offsets are committed every second (CAPTURE_OFFSET_FLUSH_INTERVAL default). */
    private static final long UNCOMMITTED_WINDOW = MAX_BATCH + 2L * ROWS_PER_SECOND;

    @Test
    void shouldLoseNothingAndResendNothingWhenStoppedWithSigterm() throws Exception {
        long resent = stopMidStreamAndRestart(false);
        assertThat(resent).isZero();
    }

    @Test
    void shouldLoseNothingAndResendOnlyTheUncommittedWindowWhenKilled() throws Exception {
        long resent = stopMidStreamAndRestart(true);
        System.out.println("kill -9: re-sent " + resent + " rows (bound " + UNCOMMITTED_WINDOW + ")");
        assertThat(resent).isLessThanOrEqualTo(UNCOMMITTED_WINDOW);
    }

    private long stopMidStreamAndRestart(boolean kill) throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            Map<String, String> env = new HashMap<>(stack.captureEnv());
            env.put("CAPTURE_MAX_BATCH_SIZE", Integer.toString(MAX_BATCH));
            env.put("CAPTURE_MAX_QUEUE_SIZE", Integer.toString(4 * MAX_BATCH));
            env.put("CAPTURE_OPS_PORT", Integer.toString(freePort()));
            AtomicBoolean inserting = new AtomicBoolean(true);
            AtomicLong inserted = new AtomicLong();
            Thread inserter = new Thread(() -> insertUntilStopped(inserting, inserted), "inserter");
            String name = kill ? "restart-kill" : "restart-sigterm";

            // Given capture runs while rows keep arriving
            ServiceProcess first = CaptureProcess.start(env, name + "-1");
            await().atMost(Duration.ofSeconds(60)).until(() -> slotActive(stack.slot));
            inserter.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> flagged() >= 1500);
            assertOpsEndpointServes(Integer.parseInt(env.get("CAPTURE_OPS_PORT")));

            // When it is stopped mid-stream and started again while the inserts go on
            int exit = kill ? first.kill() : first.terminate(Duration.ofSeconds(40));
            assertThat(exit).isEqualTo(kill ? 137 : 143);
            if (!kill) {
                assertThat(first.output()).contains("capture stopped");
            }
            long atStop = inserted.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> inserted.get() >= atStop + 500);
            ServiceProcess second = CaptureProcess.start(env, name + "-2");
            await().atMost(Duration.ofSeconds(60)).until(() -> flagged() >= atStop + 1000);
            inserting.set(false);
            inserter.join();
            stack.awaitAllFlagged(Duration.ofSeconds(60));
            assertThat(second.terminate(Duration.ofSeconds(40))).isEqualTo(143);

            // Then every row is in Kafka at least once, and flagged
            long rows = CaptureTestStack.count("SELECT count(*) FROM user_logins");
            assertThat(rows).isEqualTo(inserted.get());
            List<ConsumerRecord<byte[], byte[]>> records = stack.readAll();
            long distinct = records.stream().map(CaptureTestStack::key).distinct().count();
            assertThat(distinct).isEqualTo(rows);
            return records.size() - distinct;
        }
    }

    private static void assertOpsEndpointServes(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"RUNNING\"");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("capture_events_published_total", "capture_events_flagged_total",
                "capture_batch_latency_seconds_count", "capture_slot_lag_bytes", "capture_slot_retained_wal_bytes");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The slot is active once the (empty) snapshot is done and streaming has begun. */
    private static boolean slotActive(String slot) throws Exception {
        return CaptureTestStack.count("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'") == 1;
    }

    private static long flagged() throws Exception {
        return CaptureTestStack.count("SELECT count(*) FROM user_logins WHERE sent_to_kafka");
    }

    private static void insertUntilStopped(AtomicBoolean inserting, AtomicLong inserted) {
        try (Connection db = CaptureTestStack.superuser(); Statement st = db.createStatement()) {
            while (inserting.get()) {
                inserted.addAndGet(st.executeUpdate("INSERT INTO user_logins (username, event_type, event_time) "
                        + "SELECT 'r' || g, 'login', now() FROM generate_series(1, 20) g"));
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
