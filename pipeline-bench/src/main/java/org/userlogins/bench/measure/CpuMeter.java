package org.userlogins.bench.measure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.userlogins.bench.measure.ResourceSampler.Watched;

/**
 * CPU time each process spent between two moments, per 1,000 rows of a phase: a figure that
 * stays put on a shared 2-core machine where rows/s moves with whatever else runs. Read from
 * /proc at the two moments: utime + stime, and for a process tree (PostgreSQL) also the CPU of
 * the children it reaped (cutime + cstime), so a walsender or backend that ends within the phase
 * still counts.
 */
public final class CpuMeter {
    private static final double MS_PER_TICK = 10; // USER_HZ = 100 on Linux

    private final ProcReader reader = new ProcReader(Path.of("/proc"));
    private final List<Watched> watched;

    public CpuMeter(List<Watched> watched) {
        this.watched = List.copyOf(watched);
    }

    /** Each process's CPU so far; a process that is gone is left out. */
    public Map<String, ProcReader.Reading> snapshot() {
        Map<String, ProcReader.Reading> readings = new LinkedHashMap<>();
        for (Watched w : watched) {
            try {
                readings.put(w.name(), reader.read(w.pid(), w.wholeTree()));
            } catch (IOException gone) {
                // exited: the phase's own checks report that
            }
        }
        return readings;
    }

    /**
     * CPU milliseconds per 1,000 rows for each process read at {@code after}; one missing from
     * {@code before} (launched during the phase) counts all its CPU, start-up included.
     */
    public static Map<String, Double> msPer1000Rows(Map<String, ProcReader.Reading> before, Map<String, ProcReader.Reading> after,
                                                   long rows) {
        Map<String, Double> perThousand = new LinkedHashMap<>();
        after.forEach((name, reading) -> {
            ProcReader.Reading start = before.get(name);
            long ticks = start == null ? reading.totalTicks() : reading.totalTicks() - start.totalTicks();
            perThousand.put(name, ticks * MS_PER_TICK * 1000.0 / rows);
        });
        return perThousand;
    }
}
