package org.userlogins.ops.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's memory as Linux counts it, for the tests and tools that bound a service's RSS. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** The peak resident set so far (VmHWM of /proc/PID/status), in MiB. */
    public static long peakRssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmHWM for pid " + pid);
    }
}
