package org.userlogins.ops.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's JVM as a child OS process, its stdout and stderr in a log file: the one launcher of
 * the bench, the chaos run and the tests that run a service as a process. Start one with
 * {@link #launch(String, List)}; the command usually comes from {@link ServiceJvm#command}.
 */
public final class ServiceProcess implements AutoCloseable {
    /** How long {@link #stop()} gives a service to finish its batch after SIGTERM. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration HEALTH_POLL = Duration.ofMillis(200);
    private static final int TAIL_LINES = 40;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** What to start: {@code name} is for messages only, {@code command} the whole command line. */
    public static Launch launch(String name, List<String> command) {
        return new Launch(name, command);
    }

    /** The settings of a launch; {@link #start()} starts it without waiting for anything. */
    public static final class Launch {
        private final String name;
        private final List<String> command;
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean inheritEnvironment = true;
        private Path log;
        private boolean appendLog;

        private Launch(String name, List<String> command) {
            this.name = name;
            this.command = List.copyOf(command);
        }

        /** Variables set on top of the inherited environment (or alone, see {@link #onlyGivenEnvironment()}). */
        public Launch env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        /** Only the given variables: a run kept apart from the live pipeline must not pick up the caller's settings. */
        public Launch onlyGivenEnvironment() {
            inheritEnvironment = false;
            return this;
        }

        /** Where stdout and stderr go; the file is replaced unless {@link #appendingLog()}. Required. */
        public Launch log(Path file) {
            this.log = file;
            return this;
        }

        /** Keeps what the file holds: a service started again writes after its earlier run. */
        public Launch appendingLog() {
            appendLog = true;
            return this;
        }

        public ServiceProcess start() throws IOException {
            if (log == null) {
                throw new IllegalStateException("no log file for " + name);
            }
            Path dir = log.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
            if (!inheritEnvironment) {
                builder.environment().clear();
            }
            builder.environment().putAll(env);
            return new ServiceProcess(name, log, builder.start());
        }
    }

    /** True when the service's ops server answers GET /health with 200. */
    public static boolean healthy(int opsPort) {
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

    /** Polls GET /health until it answers 200; fails with the log's tail if the process exits or {@code timeout} passes. */
    public ServiceProcess awaitHealthy(int opsPort, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy(opsPort)) {
            if (!process.isAlive()) {
                throw failure(name + " exited with " + process.exitValue() + " before it was healthy");
            }
            if (System.nanoTime() > deadline) {
                throw failure(name + " not healthy after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(HEALTH_POLL.toMillis());
        }
        return this;
    }

    /** Fails with the log's tail when the process has exited: for a service that must keep running. */
    public void requireAlive(String during) {
        if (!process.isAlive()) {
            throw failure(name + " exited with " + process.exitValue() + " " + during);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; throws IllegalThreadStateException while it runs. */
    public int exitCode() {
        return process.exitValue();
    }

    /** The peak resident set so far (VmHWM), in MiB. */
    public long peakRssMib() throws IOException {
        return ProcessMemory.peakRssMib(process.pid());
    }

    public Path logFile() {
        return log;
    }

    /** What the process wrote so far, stdout and stderr. */
    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits for the process to end by itself; kills it and fails with the log's tail if it has not after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw failure(name + " still running after " + timeout.toSeconds() + " s; killed");
        }
        return process.exitValue();
    }

    /**
     * SIGTERM, as a supervisor stops a service, then up to {@code grace} for it to exit, then SIGKILL.
     * Returns whether it exited within the grace (true when it had already exited).
     */
    public boolean stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return false;
    }

    /** {@link #stop(Duration)} with {@link #STOP_GRACE}. */
    public boolean stop() throws InterruptedException {
        return stop(STOP_GRACE);
    }

    /** {@link #stop(Duration)} for a service that must exit on SIGTERM: returns its exit code, fails with the log's tail if it had to be killed. */
    public int terminate(Duration grace) throws InterruptedException {
        if (!stop(grace)) {
            throw failure(name + " did not exit within " + grace.toSeconds() + " s of SIGTERM; killed");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, nothing is committed. Returns the exit code. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw failure(name + " still running " + KILL_WAIT.toSeconds() + " s after SIGKILL");
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs: for try-with-resources, where a failed test must not leave it behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** The last lines of the log, for a failure's message: the cause is usually there. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(what + "; log " + log + ", its last lines:\n" + logTail());
    }
}
