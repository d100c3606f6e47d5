package org.userlogins.writer.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The writer as a real OS process ({@code java -jar target/ch-writer.jar}), output in target/it-logs. */
final class WriterProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    WriterProcess(String name, Map<String, String> env) throws IOException {
        Path jar = ItSupport.MODULE_DIR.resolve("target/ch-writer.jar");
        log = ItSupport.MODULE_DIR.resolve("target/it-logs/" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
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
