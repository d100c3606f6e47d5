package org.userlogins.bench.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.userlogins.bench.report.BenchReport.ProcessResources;
import org.userlogins.bench.report.BenchReport.Series;

/**
 * Samples memory and CPU of each watched process every 500 ms in a background thread: peak and
 * steady (median) per process, the peak of the services' summed memory, and each process's memory
 * over time.
 */
public final class ResourceSampler implements AutoCloseable {
    private static final long INTERVAL_MS = 500;
    private static final double TICKS_PER_SECOND = 100;
    /** At most this many points per process over time: a long run is kept to its peaks per bucket, not every sample. */
    private static final int MAX_POINTS = 300;

    /** A process to watch; {@code service} marks the three services (summed for the RSS target). */
    public record Watched(String name, long pid, boolean wholeTree, boolean service) {
    }

    private final List<Watched> watched;
    private final ProcReader reader = new ProcReader(Path.of("/proc"));
    private final Map<String, List<Double>> memoryMb = new LinkedHashMap<>();
    private final Map<String, List<Double>> cpuPercent = new LinkedHashMap<>();
    private final List<Double> servicesMb = new ArrayList<>();
    /** Per process: seconds since the start and MB of each sample (a sample takes longer than the interval on a busy machine). */
    private final Map<String, List<double[]>> memoryOverTime = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    public ResourceSampler(List<Watched> watched) {
        this.watched = List.copyOf(watched);
        watched.forEach(w -> {
            memoryMb.put(w.name(), new ArrayList<>());
            cpuPercent.put(w.name(), new ArrayList<>());
            memoryOverTime.put(w.name(), new ArrayList<>());
        });
        thread = new Thread(this::loop, "resource-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Map<String, ProcReader.Reading> last = new LinkedHashMap<>();
        long lastNanos = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            double seconds = (now - lastNanos) / 1e9;
            double services = 0;
            for (Watched w : watched) {
                try {
                    ProcReader.Reading r = reader.read(w.pid(), w.wholeTree());
                    double mb = r.memoryBytes() / 1048576.0;
                    ProcReader.Reading before = last.put(w.name(), r);
                    synchronized (this) {
                        memoryMb.get(w.name()).add(mb);
                        memoryOverTime.get(w.name()).add(new double[] {(now - startNanos) / 1e9, mb});
                        if (before != null) {
                            cpuPercent.get(w.name()).add(100 * r.ticksSince(before) / TICKS_PER_SECOND / seconds);
                        }
                    }
                    services += w.service() ? mb : 0;
                } catch (Exception gone) {
                    // the process exited: the phase's own checks report that
                }
            }
            synchronized (this) {
                servicesMb.add(services);
            }
            lastNanos = now;
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public synchronized List<ProcessResources> results() {
        List<ProcessResources> results = new ArrayList<>();
        for (Watched w : watched) {
            results.add(new ProcessResources(w.name(), w.pid(), Stats.max(memoryMb.get(w.name())), Stats.median(memoryMb.get(w.name())),
                    Stats.max(cpuPercent.get(w.name())), Stats.median(cpuPercent.get(w.name())), memoryMb.get(w.name()).size()));
        }
        return results;
    }

    /** Each process's RSS in MB over time: the peak of each bucket of seconds, a bucket being a second or more. */
    public synchronized List<Series> memoryOverTime() {
        double seconds = memoryOverTime.values().stream().filter(p -> !p.isEmpty()).mapToDouble(p -> p.get(p.size() - 1)[0]).max().orElse(0);
        double bucket = Math.max(1, Math.ceil(seconds / MAX_POINTS));
        List<Series> series = new ArrayList<>();
        memoryOverTime.forEach((name, points) -> {
            if (!points.isEmpty()) {
                series.add(new Series(name, bucket, peaksPerBucket(points, bucket)));
            }
        });
        return series;
    }

    /** A bucket without a sample (the process could not be read) repeats the one before. */
    static List<Long> peaksPerBucket(List<double[]> points, double bucket) {
        int buckets = (int) (points.get(points.size() - 1)[0] / bucket) + 1;
        double[] peaks = new double[buckets];
        Arrays.fill(peaks, -1);
        for (double[] p : points) {
            int b = (int) (p[0] / bucket);
            peaks[b] = Math.max(peaks[b], p[1]);
        }
        List<Long> values = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            if (peaks[b] < 0) {
                peaks[b] = b == 0 ? 0 : peaks[b - 1];
            }
            values.add(Math.round(peaks[b]));
        }
        return values;
    }

    public synchronized double servicesPeakMb() {
        return Stats.max(servicesMb);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
