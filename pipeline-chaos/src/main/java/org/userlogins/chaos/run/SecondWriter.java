package org.userlogins.chaos.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.userlogins.ops.launch.ServiceJvm;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * A second ch-writer instance of the same group, started beside the supervised one and killed
 * (kill -9) after the hold: two rebalances, the second while the killed instance may hold a
 * recorded range in flight, which the remaining writer must re-form exactly.
 */
final class SecondWriter {
    private final ServiceJvm jvm;
    private final Path log;
    private ServiceProcess process;

    SecondWriter(Path root, Path logDir) {
        this.jvm = ServiceJvm.load(root);
        this.log = logDir.resolve("chaos-second-writer.log");
    }

    /** Starts it with the stack's settings (this JVM's environment, as ./pipeline exported them); no ops port. */
    String start() throws IOException {
        process = ServiceProcess.launch("second ch-writer", jvm.command("ch-writer", System.getenv()))
                .env(Map.of("WRITER_OPS_PORT", "0")).log(log).appendingLog().start();
        return "second ch-writer pid " + process.pid() + " (log " + log + ")";
    }

    /** kill -9; returns whether it was still running (an exit before the kill is a failure of the run). */
    String kill() throws InterruptedException {
        if (process == null) {
            return "";
        }
        boolean alive = process.isAlive();
        int exit = process.kill();
        String note = alive ? "second ch-writer killed (-9)" : "second ch-writer FAILED: it exited by itself with " + exit;
        process = null;
        return note;
    }
}
