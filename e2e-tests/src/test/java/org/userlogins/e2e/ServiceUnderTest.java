package org.userlogins.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.userlogins.ops.launch.ServiceJvm;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * One service of the pipeline under test, run as an OS process from its module's jar as ./pipeline
 * runs it; unlike a bare {@link ServiceProcess} it can be restarted, and its log then goes on in
 * the same file.
 */
final class ServiceUnderTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ServiceJvm JVM = ServiceJvm.load(ROOT);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String module;
    private final Map<String, String> env;
    private final int opsPort;
    private final Path log;
    private ServiceProcess process;

    ServiceUnderTest(String module, String instance, Map<String, String> env, int opsPort) {
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

    ServiceUnderTest start() throws IOException, InterruptedException {
        process = ServiceProcess.launch(module, JVM.command(module, Map.of())) // the default heap: heapMib()
                .env(env).log(log).appendingLog().start()
                .awaitHealthy(opsPort, Duration.ofSeconds(90));
        return this;
    }

    /** SIGTERM, as a supervisor stops it; the service must finish its batch and exit. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.terminate(ServiceProcess.STOP_GRACE);
        }
    }

    void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    boolean healthy() {
        return ServiceProcess.healthy(opsPort);
    }

    /**
     * The sum of the service's pipeline_inflight_cap_bytes gauges, as ./pipeline status shows it:
     * the most it holds of in-flight data, as its settings bound it.
     */
    long inFlightCapBytes() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        return (long) HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                .filter(line -> line.startsWith("pipeline_inflight_cap_bytes{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Override
    public String toString() {
        return module;
    }
}
