package org.userlogins.bench.pipeline;

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

/** One service as an OS process from its module's jar, started the way ./pipeline starts it. */
public final class ServiceProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String module;
    private final Path log;
    private final int opsPort;
    private final Process process;

    private ServiceProcess(String module, Path log, int opsPort, Process process) {
        this.module = module;
        this.log = log;
        this.opsPort = opsPort;
        this.process = process;
    }

    /** Launches without waiting, with the JVM ./pipeline gives the service: the bench's clock runs from here. */
    public static ServiceProcess launch(ServiceJvm jvm, String module, Path jfr, Map<String, String> env, int opsPort,
                                        Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(module + ".log");
        List<String> profiling = jfr == null ? List.of()
                : List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        ProcessBuilder builder = new ProcessBuilder(jvm.command(module, env, profiling))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return new ServiceProcess(module, log, opsPort, builder.start());
    }

    /** Waits until /health answers 200; fails with the log's path if the process exits or never gets healthy. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + " at start; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(module + " not healthy after " + timeout.toSeconds() + " s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(module + " exited with " + process.exitValue() + " during the bench; see " + log);
        }
    }

    /** SIGTERM and a bounded wait, then SIGKILL. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** A counter of the service's /metrics, summed over its label sets; fails when the service does not answer. */
    public long counter(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                .timeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(module + " answered " + response.statusCode() + " on /metrics");
        }
        return counter(response.body(), name);
    }

    /** The sum of the samples named {@code name} in a Prometheus text exposition ("name value" or "name{labels} value"). */
    static long counter(String exposition, String name) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                String rest = line.substring(name.length());
                rest = rest.startsWith("{") ? rest.substring(rest.lastIndexOf('}') + 1) : rest;
                sum += Double.parseDouble(rest.trim().split("\\s+")[0]); // a timestamp may follow the value
            }
        }
        return Math.round(sum);
    }

    public String module() {
        return module;
    }

    public long pid() {
        return process.pid();
    }

    private boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
