package org.userlogins.bench.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.userlogins.bench.report.BenchReport.Series;

/**
 * Rows per second of each stage of the pipeline at a fixed interval, in a background thread, from
 * a cumulative count per stage (the load's inserts, a service's /metrics counter).
 */
public final class ThroughputSampler implements AutoCloseable {
    private final Duration interval;
    private final Map<String, CountWait.Count> counts;
    private final Map<String, Long> last = new LinkedHashMap<>();
    private final Map<String, List<Long>> rowsPerSecond = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private long lastNanos;

    /** Reads each count once as the baseline (failing if one cannot be read), then every {@code interval}. */
    public ThroughputSampler(Map<String, CountWait.Count> stages, Duration interval) throws Exception {
        this.interval = interval;
        this.counts = new LinkedHashMap<>(stages);
        for (Map.Entry<String, CountWait.Count> stage : counts.entrySet()) {
            last.put(stage.getKey(), stage.getValue().get());
            rowsPerSecond.put(stage.getKey(), new ArrayList<>());
        }
        lastNanos = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "throughput-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs on the timer; the tests call it directly. */
    void sample() {
        Map<String, Long> now = new LinkedHashMap<>();
        counts.forEach((stage, count) -> {
            try {
                now.put(stage, count.get());
            } catch (Exception unreadable) {
                // this interval shows 0 for the stage and the next one its rows: the series keeps its length
                now.put(stage, last.get(stage));
            }
        });
        long nanos = System.nanoTime();
        synchronized (this) {
            // the rate over the time that really passed: a slow scrape delays a sample, it does not inflate it
            double seconds = (nanos - lastNanos) / 1e9;
            now.forEach((stage, n) -> {
                rowsPerSecond.get(stage).add(Math.round(Math.max(0, n - last.get(stage)) / seconds));
                last.put(stage, n);
            });
            lastNanos = nanos;
        }
    }

    public synchronized List<Series> series() {
        List<Series> series = new ArrayList<>();
        rowsPerSecond.forEach((stage, values) -> series.add(new Series(stage, interval.toMillis() / 1000.0, List.copyOf(values))));
        return series;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
