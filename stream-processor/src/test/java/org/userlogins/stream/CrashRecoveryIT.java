package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.userlogins.stream.BrokerFixture.text;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * The service jar as a real process, killed with SIGKILL while input flows and started again:
 * exactly_once_v2 plus the changelogged dedupe store must leave each id exactly once in the
 * clean topic (read_committed), including ids re-sent across the crash.
 */
class CrashRecoveryIT {
    private static final int IDS = 6000;

    @TempDir
    Path stateDir;

    @Test
    void shouldWriteEachIdExactlyOnceWhenTheServiceIsKilledMidStreamAndRestarted() throws Exception {
        try (var broker = new BrokerFixture(); var producer = broker.producer()) {
            AtomicInteger sent = new AtomicInteger();
            // The feed holds at half the ids until the kill: the rest, with copies of ids sent before
            // it, flows into the restarted service, however fast the first one got to 500.
            CountDownLatch killed = new CountDownLatch(1);
            Thread feeder = new Thread(() -> BrokerFixture.feedWithCopies(producer, broker.input, IDS, 1000, sent, IDS / 2, killed), "feeder");
            feeder.setDaemon(true); // never keeps the JVM alive after a failed test

            int firstOpsPort = freePort();
            ServiceProcess first = start(broker, "run1", firstOpsPort);
            try (first) {
                // Feed only once it processes: on a loaded machine a slow start let the whole input go by before the kill.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> get(firstOpsPort, "/health").contains("\"status\":\"RUNNING\""));
                feeder.start();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> broker.readCommitted(broker.clean).size() >= 500);
                assertThat(first.kill()).isEqualTo(137); // SIGKILL: no shutdown hook, nothing committed
            }
            assertThat(sent.get()).as("ids sent before the kill").isLessThanOrEqualTo(IDS / 2);
            killed.countDown();

            int opsPort = freePort();
            ServiceProcess second = start(broker, "run2", opsPort);
            try { // not try-with-resources: its close() would SIGKILL before the SIGTERM below
                feeder.join(Duration.ofSeconds(180).toMillis());
                assertThat(feeder.isAlive()).as("the feed finished").isFalse();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(broker::inputFullyCommitted);
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(opsPort, "/health").contains("\"status\":\"RUNNING\""));
                assertThat(get(opsPort, "/health")).contains("\"status\":\"RUNNING\"", "\"up\":true");
                assertThat(get(opsPort, "/metrics")).contains("stream_processor_records_accepted_total",
                        "stream_processor_records_rejected_total{reason=\"not_json\"}", "stream_processor_dedupe_hits_total",
                        "kafka_stream_thread_process_total");
            } finally {
                killed.countDown(); // a failure before the kill must not leave the feeder waiting
                // SIGTERM: the shutdown hook closes Kafka Streams within 30 s; SIGKILL after 35 s
                assertThat(second.stop(Duration.ofSeconds(35))).as("stopped after SIGTERM (log " + second.logFile() + ")").isTrue();
            }
            assertThat(second.output()).contains("stopped cleanly");

            List<String> cleanKeys = broker.readCommitted(broker.clean).stream().map(r -> text(r.key())).toList();
            assertThat(cleanKeys).hasSize(IDS)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, IDS).mapToObj(Integer::toString).toList());
        }
    }

    /** ~2,000 ids/s; every 10th id also re-sends the one 1,000 earlier, so some copies straddle the crash. */
    private ServiceProcess start(BrokerFixture broker, String run, int opsPort) throws IOException {
        Map<String, String> env = new HashMap<>(broker.env());
        env.put("PROCESSOR_HEAP", "256m");
        env.put("PROCESSOR_STATE_DIR", stateDir.toString()); // the same state directory for both runs
        env.put("PROCESSOR_OPS_PORT", Integer.toString(opsPort));
        return ProcessorProcess.start("crash-recovery-" + broker.suffix + "-" + run, env);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
