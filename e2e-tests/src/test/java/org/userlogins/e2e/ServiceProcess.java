package org.userlogins.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.userlogins.ops.launch.ServiceJvm;

/** One service running as an OS process from its module's jar, as ./pipeline runs it. */
final class ServiceProcess {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ServiceJvm JVM = ServiceJvm.load(ROOT);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String module;
    private final Map<String, String> env;
    private final int opsPort;
    private final Path log;
    private Process process;

    ServiceProcess(String module, String instance, Map<String, String> env, int opsPort) {
        this.module = module;
        this.env = env;
        this.opsPort = opsPort;
        this.log = ROOT.resolve("e2e-tests/target/e2e-logs/" + module + "-" + instance + ".log");
    }

    /** The -Xmx ./pipeline gives each service by default (stack/service-jvm.env). */
    static int heapMib(String module) {
        return JVM.defaultHeapMib(module);
    }

    /** The -Xmx it runs with. */
    int heapMib() {
        return heapMib(module);
    }

    ServiceProcess start() throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(JVM.command(module, Map.of())) // the default heap: heapMib()
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        await(module + " healthy").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(module + " exited with " + process.exitValue() + "; log: " + log);
            }
            return healthy();
        });
        return this;
    }

    /** SIGTERM, as a supervisor stops it; the service must finish its batch and exit. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(module + " ignored SIGTERM for 60 s; log: " + log);
            }
        }
    }

    void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * The sum of the service's pipeline_inflight_cap_bytes gauges, as ./pipeline status shows it:
     * the most it holds of in-flight data, as its settings bound it.
     */
    long inFlightCapBytes() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                .timeout(Duration.ofSeconds(2)).build();
        return (long) HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                .filter(line -> line.startsWith("pipeline_inflight_cap_bytes{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Override
    public String toString() {
        return module;
    }

    File logFile() {
        return log.toFile();
    }
}
