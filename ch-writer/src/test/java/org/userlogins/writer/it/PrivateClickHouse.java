package org.userlogins.writer.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A ClickHouse server of the test's own (chdb-server on a temp path and free ports), so a test can
 * stop and start it without disturbing the shared one. The binary and the users are the local
 * stack's (the binary can be CHDB_SERVER_BIN).
 */
final class PrivateClickHouse implements AutoCloseable {
    private static final String SERVE = "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; SELECT sleepEachRow(1) "
            + "FROM system.numbers SETTINGS function_sleep_max_microseconds_per_block=0, max_execution_time=0 FORMAT Null";
    private final Path dataDir;
    private final int httpPort;
    private final int tcpPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    PrivateClickHouse() throws IOException {
        dataDir = Files.createTempDirectory("chw-clickhouse");
        httpPort = freePort();
        tcpPort = freePort();
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    void start() throws IOException {
        String bin = ItSupport.env("CHDB_SERVER_BIN", ItSupport.MODULE_DIR.resolve("../.local/clickhouse/bin/chdb-server").normalize().toString());
        Path log = ItSupport.MODULE_DIR.resolve("target/it-logs/private-clickhouse.log");
        Files.createDirectories(log.getParent());
        // The local stack's users (admin and least-privilege writer), so the test's credentials work here too.
        Path config = ItSupport.MODULE_DIR.resolve("../.local/clickhouse/etc/config.xml").normalize();
        process = new ProcessBuilder(bin, "--config-file=" + config, "--path=" + dataDir + "/", "--listen_host=127.0.0.1",
                "--http_port=" + httpPort, "--tcp_port=" + tcpPort, "--multiquery", "--query", SERVE)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await("private ClickHouse ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::answers);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    boolean answers() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/"))
                    .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().trim().equals("1");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
