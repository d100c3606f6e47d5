package org.userlogins.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.userlogins.ops.launch.ServiceJvm;

/**
 * A second ch-writer instance of the same group, started beside the supervised one and killed
 * (kill -9) after the hold: two rebalances, the second while the killed instance may hold a
 * recorded range in flight, which the remaining writer must re-form exactly.
 */
final class SecondWriter {
    private final ServiceJvm jvm;
    private final Path log;
    private Process process;

    SecondWriter(Path root, Path logDir) {
        this.jvm = ServiceJvm.load(root);
        this.log = logDir.resolve("chaos-second-writer.log");
    }

    /** Starts it with the stack's settings (this JVM's environment, as ./pipeline exported them); no ops port. */
    String start() throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(jvm.command("ch-writer", System.getenv()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("WRITER_OPS_PORT", "0");
        process = builder.start();
        return "second ch-writer pid " + process.pid() + " (log " + log + ")";
    }

    /** kill -9; returns whether it was still running (an exit before the kill is a failure of the run). */
    String kill() throws InterruptedException {
        if (process == null) {
            return "";
        }
        boolean alive = process.isAlive();
        process.destroyForcibly();
        process.waitFor();
        String note = alive ? "second ch-writer killed (-9)" : "second ch-writer FAILED: it exited by itself with " + process.exitValue();
        process = null;
        return note;
    }
}
