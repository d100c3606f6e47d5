package org.userlogins.capture.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.userlogins.ops.launch.ServiceJvm;
import org.userlogins.ops.launch.ProcessMemory;

/** The packaged service as a real OS process, run as ./pipeline runs it (stack/service-jvm.env), output in a file. */
final class CaptureProcess {
    private final Process process;
    final Path log;

    private CaptureProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static CaptureProcess start(Map<String, String> env, String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "it-logs"));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ServiceJvm.load(Path.of("..").toAbsolutePath().normalize()).command("cdc-capture", Map.of()));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new CaptureProcess(builder.start(), log);
    }

    /** Runs to completion and returns the exit code; output (stdout and stderr) in {@link #output()}. */
    static CaptureProcess run(Map<String, String> env, String name) throws Exception {
        CaptureProcess p = start(env, name);
        if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            throw new AssertionError("capture did not exit within 60 s; log " + p.log);
        }
        return p;
    }

    /** The process's peak resident set (VmHWM) so far, in MiB. */
    long peakRssMib() throws IOException {
        return ProcessMemory.peakRssMib(process.pid());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then waits for the exit. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return await(timeout);
    }

    /** SIGKILL: no shutdown hook, no offset commit. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return await(Duration.ofSeconds(10));
    }

    private int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("capture did not exit within " + timeout + "; log " + log);
        }
        return process.exitValue();
    }
}
