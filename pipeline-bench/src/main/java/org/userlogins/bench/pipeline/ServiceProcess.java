package org.userlogins.bench.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.userlogins.ops.launch.ServiceJvm;

/**
 * One service as an OS process from its module's jar, started the way ./pipeline starts it: the
 * launcher of pipeline-ops with what the bench adds, its ops port and a flight recording.
 */
public final class ServiceProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String module;
    private final int opsPort;
    private final org.userlogins.ops.launch.ServiceProcess process;

    private ServiceProcess(String module, int opsPort, org.userlogins.ops.launch.ServiceProcess process) {
        this.module = module;
        this.opsPort = opsPort;
        this.process = process;
    }

    /** Launches without waiting, with the JVM ./pipeline gives the service: the bench's clock runs from here. */
    public static ServiceProcess launch(ServiceJvm jvm, String module, Path jfr, Map<String, String> env, int opsPort,
                                        Path logDir) throws IOException {
        List<String> profiling = jfr == null ? List.of()
                : List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        // Only the run's own settings: the caller's environment may name the live pipeline's topics.
        return new ServiceProcess(module, opsPort, org.userlogins.ops.launch.ServiceProcess
                .launch(module, jvm.command(module, env, profiling)).env(env).onlyGivenEnvironment()
                .log(logDir.resolve(module + ".log")).start());
    }

    /** Waits until /health answers 200; fails with the log's tail if the process exits or never gets healthy. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        process.awaitHealthy(opsPort, timeout);
    }

    public void requireAlive() {
        process.requireAlive("during the bench");
    }

    /** SIGTERM and a bounded wait, then SIGKILL. */
    public void stop() throws InterruptedException {
        process.stop();
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
}
