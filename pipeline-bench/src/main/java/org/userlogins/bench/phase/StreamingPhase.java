package org.userlogins.bench.phase;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.userlogins.bench.load.FlatOutLoad;
import org.userlogins.bench.measure.CountWait;
import org.userlogins.bench.measure.ThroughputSampler;
import org.userlogins.bench.pipeline.ServiceProcess;
import org.userlogins.bench.report.BenchReport.Series;
import org.userlogins.bench.report.BenchReport.Streaming;

/**
 * Phase 2: client threads insert 1,000-row transactions as fast as PostgreSQL takes them for the
 * phase's length; then the backlog drains. The pipeline's rate is all inserted rows over the time
 * from the first insert until the last row is stored and flagged. Each stage's rows per second
 * are sampled every second meanwhile.
 */
public final class StreamingPhase {
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    private static final List<ServiceStage> SERVICE_STAGES = List.of(
            new ServiceStage("published by cdc-capture", "cdc-capture", "capture_events_published_total"),
            new ServiceStage("accepted by stream-processor (clean topic)", "stream-processor", "stream_processor_records_accepted_total"),
            new ServiceStage("inserted by ch-writer into ClickHouse", "ch-writer", "writer_rows_inserted_total"));

    /** A stage of the pipeline: the service and its /metrics counter of the rows it passed on. */
    private record ServiceStage(String name, String module, String counter) {
    }

    private StreamingPhase() {
    }

    /** {@code rowsPerSecond} is given each stage's series, also when the phase fails. */
    public static Streaming run(PhaseContext c, List<ServiceProcess> services, Consumer<List<Series>> rowsPerSecond) throws Exception {
        long from = c.pg().maxId() + 1;
        FlatOutLoad load = new FlatOutLoad(c.ops(), c.settings().streamingThreads(), c.settings().streamingBatchRows());
        ThroughputSampler sampler = new ThroughputSampler(stages(load, services), SAMPLE_EVERY);
        try {
            long start = System.nanoTime();
            long inserted = load.run(c.settings().phase(), () -> {
                double elapsed = PhaseContext.seconds(start, System.nanoTime());
                c.progress().show("2 streaming (insert)", load.inserted(), load.inserted() / Math.max(elapsed, 1e-3), elapsed,
                        String.format("stored %,d", c.delivery().stored(from, from + load.inserted())));
            });
            long phaseEnd = System.nanoTime();
            long to = c.pg().maxId();
            long delivered = c.delivery().stored(from, to);
            long done = c.delivery().awaitAll("2 streaming (drain)", from, to, inserted, start, c.timeout());
            sampler.close(); // the series ends with the phase, when the last row is stored
            c.delivery().verify("streaming", from, to, inserted);
            double phaseSeconds = PhaseContext.seconds(start, phaseEnd);
            double total = PhaseContext.seconds(start, done);
            Streaming result = new Streaming(inserted, phaseSeconds, inserted / phaseSeconds, delivered, inserted - delivered,
                    PhaseContext.seconds(phaseEnd, done), inserted / total);
            c.progress().done(String.format("streaming: %,d rows inserted at %,.0f rows/s; backlog %,d at the end; all stored after %.1f s = %,.0f rows/s",
                    inserted, result.insertRowsPerSecond(), result.backlogAtEnd(), total, result.rowsPerSecond()));
            return result;
        } finally {
            sampler.close();
            rowsPerSecond.accept(sampler.series());
        }
    }

    /** The load's inserts, then each service's rows in pipeline order. */
    private static Map<String, CountWait.Count> stages(FlatOutLoad load, List<ServiceProcess> services) {
        Map<String, CountWait.Count> stages = new LinkedHashMap<>();
        stages.put("inserted into PostgreSQL", load::inserted);
        for (ServiceStage stage : SERVICE_STAGES) {
            services.stream().filter(s -> s.module().equals(stage.module())).findFirst()
                    .ifPresent(service -> stages.put(stage.name(), () -> service.counter(stage.counter())));
        }
        return stages;
    }
}
