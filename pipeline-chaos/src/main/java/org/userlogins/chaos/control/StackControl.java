package org.userlogins.chaos.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The servers and services are driven through {@code ./pipeline} itself (kill, up, server
 * stop|start), as an operator or a supervisor would; each command's output goes to a log file.
 */
public final class StackControl {
    private static final long COMMAND_TIMEOUT_SECONDS = 300;

    private final Path script;
    private final Path log;

    public StackControl(Path script, Path log) {
        this.script = script;
        this.log = log;
    }

    /** Runs {@code ./pipeline args...}; true when it exited 0 within the bound. */
    public boolean run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ pipeline " + String.join(" ", args) + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts the services that have no supervisor running, until it succeeds (at most
     * {@code attempts} times): {@code ./pipeline server start services}, which is `up` without
     * its other work (up also records the current settings, which a test's isolated names must not
     * overwrite). A service whose supervisor runs is left to it: it is never started twice.
     */
    public boolean up(int attempts) {
        for (int i = 0; i < attempts; i++) {
            if (run("server", "start", "services")) {
                return true;
            }
        }
        return false;
    }

    public Path log() {
        return log;
    }
}
