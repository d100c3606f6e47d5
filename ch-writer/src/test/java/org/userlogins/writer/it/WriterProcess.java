package org.userlogins.writer.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.userlogins.ops.launch.ServiceJvm;
import org.userlogins.ops.launch.ProcessMemory;

/** The writer as a real OS process ({@code java -jar target/ch-writer.jar}), output in target/it-logs. */
final class WriterProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    WriterProcess(String name, Map<String, String> env) throws IOException {
        log = ItSupport.MODULE_DIR.resolve("target/it-logs/" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(ServiceJvm.load(ItSupport.MODULE_DIR.resolve("..").normalize()).command("ch-writer", Map.of()));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
    }

    /** The process's peak resident memory so far (VmHWM), in MiB. */
    long peakRssMib() throws IOException {
        return ProcessMemory.peakRssMib(process.pid());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM; returns the exit code, or throws if it did not exit in time. */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("writer did not exit within " + seconds + " s of SIGTERM; log " + log);
        }
        return process.exitValue();
    }

    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("writer still running after " + seconds + " s; log " + log);
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
