package org.userlogins.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a process's memory and CPU time from /proc. A process tree (PostgreSQL: postmaster and its
 * backends) counts PSS, so shared buffers are not counted once per backend, and CPU per process:
 * the parent's cutime would add a reaped child's whole life at once, a spike, so it is not used.
 */
public final class ProcReader {
    private final Path proc;

    public ProcReader(Path proc) {
        this.proc = proc;
    }

    /**
     * Memory in bytes, and CPU time in clock ticks (USER_HZ, 100 per second on Linux) per process of
     * the tree; {@code reapedTicks}: the CPU of the root's children that have exited (its cutime + cstime).
     */
    public record Reading(long memoryBytes, Map<Long, Long> cpuTicksByPid, long reapedTicks) {
        /** CPU ticks used since {@code before}: per process present in both, plus all of a new one's. */
        public long ticksSince(Reading before) {
            long ticks = 0;
            for (Map.Entry<Long, Long> e : cpuTicksByPid.entrySet()) {
                ticks += Math.max(0, e.getValue() - before.cpuTicksByPid.getOrDefault(e.getKey(), 0L));
            }
            return ticks;
        }

        /** All CPU of the tree so far: its live processes' and that of the children it reaped. */
        public long totalTicks() {
            return cpuTicksByPid.values().stream().mapToLong(Long::longValue).sum() + reapedTicks;
        }
    }

    public Reading read(long pid, boolean wholeTree) throws IOException {
        Map<Long, Long> ticks = new HashMap<>();
        long[] root = cpuTimes(pid);
        ticks.put(pid, root[0] + root[1]);
        if (!wholeTree) {
            return new Reading(kilobytes(pid, "status", "VmRSS:") * 1024, ticks, root[2] + root[3]);
        }
        long memory = kilobytes(pid, "smaps_rollup", "Pss:") * 1024;
        for (long child : children(pid)) {
            try {
                long[] t = cpuTimes(child);
                memory += kilobytes(child, "smaps_rollup", "Pss:") * 1024;
                ticks.put(child, t[0] + t[1]);
            } catch (IOException gone) {
                // exited between the listing and the read; its last moments are not counted
            }
        }
        return new Reading(memory, ticks, root[2] + root[3]);
    }

    /** utime, stime, cutime, cstime: fields 14-17 of /proc/PID/stat, counted after the ")" that ends the name. */
    static long[] parseCpuTimes(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    static long parsePpid(String stat) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    static long parseKilobytes(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    private long[] cpuTimes(long pid) throws IOException {
        return parseCpuTimes(Files.readString(proc.resolve(pid + "/stat")));
    }

    private long kilobytes(long pid, String file, String key) throws IOException {
        return parseKilobytes(Files.readAllLines(proc.resolve(pid + "/" + file)), key);
    }

    private List<Long> children(long parent) throws IOException {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (parsePpid(Files.readString(p.resolve("stat"))) == parent) {
                        children.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // exited while listing
                }
            }
        }
        return children;
    }
}
