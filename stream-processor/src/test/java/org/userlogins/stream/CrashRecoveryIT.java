package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.userlogins.stream.BrokerFixture.text;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            AtomicBoolean stop = new AtomicBoolean();
            Thread feeder = new Thread(() -> BrokerFixture.feedWithCopies(producer, broker.input, IDS, 1000, sent, stop), "feeder");

            int firstOpsPort = freePort();
            Process first = start(broker, "run1", firstOpsPort);
            // Feed only once it processes: on a loaded machine a slow start let the whole input go by before the kill.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> get(firstOpsPort, "/health").contains("\"status\":\"RUNNING\""));
            feeder.start();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> broker.readCommitted(broker.clean).size() >= 500);
            first.destroyForcibly();
            assertThat(first.waitFor()).isEqualTo(137);
            int sentAtKill = sent.get();

            int opsPort = freePort();
            Process second = start(broker, "run2", opsPort);
            try {
                feeder.join(Duration.ofSeconds(30).toMillis());
                assertThat(sentAtKill).as("input was still flowing when the service was killed").isLessThan(IDS);
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(broker::inputFullyCommitted);
                assertThat(get(opsPort, "/health")).contains("\"status\":\"RUNNING\"", "\"up\":true");
                assertThat(get(opsPort, "/metrics")).contains("stream_processor_records_accepted_total",
                        "stream_processor_records_rejected_total{reason=\"not_json\"}", "stream_processor_dedupe_hits_total",
                        "kafka_stream_thread_process_total");
            } finally {
                stop.set(true);
                second.destroy(); // SIGTERM: the shutdown hook closes Kafka Streams within 30 s
                assertThat(second.waitFor(35, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            }
            assertThat(Files.readString(log(broker, "run2"))).contains("stopped cleanly");

            List<String> cleanKeys = broker.readCommitted(broker.clean).stream().map(r -> text(r.key())).toList();
            assertThat(cleanKeys).hasSize(IDS)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, IDS).mapToObj(Integer::toString).toList());
        }
    }

    /** ~2,000 ids/s; every 10th id also re-sends the one 1,000 earlier, so some copies straddle the crash. */
    private Process start(BrokerFixture broker, String run, int opsPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", new File("target/stream-processor.jar").getAbsolutePath())
                .redirectErrorStream(true)
                .redirectOutput(log(broker, run).toFile());
        builder.environment().putAll(broker.env());
        builder.environment().put("PROCESSOR_STATE_DIR", stateDir.toString());
        builder.environment().put("PROCESSOR_OPS_PORT", Integer.toString(opsPort));
        return builder.start();
    }

    private static Path log(BrokerFixture broker, String run) throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        return logs.resolve("crash-recovery-" + broker.suffix + "-" + run + ".log");
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
