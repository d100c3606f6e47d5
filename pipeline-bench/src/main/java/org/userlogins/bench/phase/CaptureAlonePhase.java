package org.userlogins.bench.phase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.userlogins.bench.load.Postgres;
import org.userlogins.bench.measure.CountWait;
import org.userlogins.bench.measure.CpuMeter;
import org.userlogins.bench.measure.ProcReader;
import org.userlogins.bench.measure.ResourceSampler;
import org.userlogins.bench.measure.ResourceSampler.Watched;
import org.userlogins.bench.pipeline.IsolatedPipeline;
import org.userlogins.bench.pipeline.ServiceProcess;
import org.userlogins.bench.reference.DebeziumNoOpRate;
import org.userlogins.bench.report.BenchReport.CaptureAlone;
import org.userlogins.bench.report.BenchReport.CpuUse;
import org.userlogins.bench.report.BenchReport.Rate;

/**
 * Phase 0: cdc-capture by itself, from PostgreSQL to acknowledged in Kafka with the flags written,
 * beside Debezium's engine with a no-op handler on the same rows just before. First a backlog of N
 * unsent rows (capture's clock runs from its launch), then N rows inserted in 1,000-row
 * transactions while it streams (clock from the first insert). Flagged means acknowledged: capture
 * writes a flag only after Kafka has acknowledged the row's event. The table is emptied afterwards.
 */
public final class CaptureAlonePhase {
    /** The no-op engine runs inside the bench's JVM, whose CPU it is counted by (its polling included). */
    static final String NO_OP_PROCESS = "bench JVM (no-op engine)";

    private CaptureAlonePhase() {
    }

    /** {@code cpu} is told the CPU per row of the no-op engine and of capture, each over its backlog and streaming rows. */
    public static CaptureAlone run(PhaseContext c, IsolatedPipeline pipeline, Consumer<CpuUse> cpu) throws Exception {
        int rows = c.settings().rows();
        long from = c.pg().maxId() + 1;
        c.pg().insert(rows, false);
        long to = c.pg().maxId();
        List<Watched> noOpProcesses = new ArrayList<>(List.of(new Watched(NO_OP_PROCESS, ProcessHandle.current().pid(), false, false)));
        noOpProcesses.addAll(c.servers());
        CpuMeter noOpMeter = new CpuMeter(noOpProcesses);
        Map<String, ProcReader.Reading> noOpBefore = noOpMeter.snapshot();
        Rate[] noOp = DebeziumNoOpRate.measure(pipeline.noOpEngineEnv(), c.ops(), rows, c.timeout(), c.progress());
        cpu.accept(new CpuUse("Debezium no-op engine (backlog + 2 streams)", 3L * rows,
                CpuMeter.msPer1000Rows(noOpBefore, noOpMeter.snapshot(), 3L * rows)));
        c.progress().done(String.format("  Debezium no-op engine: backlog %,.0f rows/s, streaming %,.0f rows/s, streaming flagged rows %,.0f rows/s",
                noOp[0].rowsPerSecond(), noOp[1].rowsPerSecond(), noOp[2].rowsPerSecond()));

        CpuMeter serversMeter = new CpuMeter(c.servers());
        Map<String, ProcReader.Reading> captureBefore = serversMeter.snapshot();
        long start = System.nanoTime();
        ServiceProcess capture = pipeline.launchCaptureAlone();
        try (ResourceSampler sampler = new ResourceSampler(List.of(new Watched("cdc-capture", capture.pid(), false, true)));
             Postgres writer = Postgres.connect(c.ops())) {
            capture.awaitHealthy(Duration.ofSeconds(120));
            double startup = PhaseContext.seconds(start, System.nanoTime());
            Rate backlog = Rate.of(rows, awaitFlagged(c, capture, "0 capture (backlog)", from, to, start) - start);

            long streamFrom = c.pg().maxId() + 1;
            long streamStart = System.nanoTime();
            writer.insertInThousands(rows, false);
            long streamTo = c.pg().maxId();
            Rate streaming = Rate.of(rows, awaitFlagged(c, capture, "0 capture (streaming)", streamFrom, streamTo, streamStart) - streamStart);
            long events = eventsInKafka(pipeline);
            if (events < 2L * rows) {
                throw new IllegalStateException(String.format("capture alone: every row is flagged but %s holds %,d events for %,d rows",
                        pipeline.captureAloneTopic(), events, 2L * rows));
            }
            List<Watched> captureProcesses = new ArrayList<>(List.of(new Watched("cdc-capture", capture.pid(), false, true)));
            captureProcesses.addAll(c.servers());
            cpu.accept(new CpuUse("capture alone (backlog + streaming, from launch)", 2L * rows,
                    CpuMeter.msPer1000Rows(captureBefore, new CpuMeter(captureProcesses).snapshot(), 2L * rows)));
            sampler.close();
            double peakMb = sampler.results().get(0).peakRssMb();
            CaptureAlone result = new CaptureAlone(noOp[0], noOp[1], noOp[2], backlog, streaming, startup, peakMb);
            c.progress().done(String.format("capture alone: backlog %,.0f rows/s (%.0f%% of no-op), streaming %,.0f rows/s (%.0f%%), peak RSS %,.0f MB",
                    backlog.rowsPerSecond(), 100 * result.backlogShare(), streaming.rowsPerSecond(), 100 * result.streamingShare(), peakMb));
            return result;
        } finally {
            capture.stop();
            c.pg().truncate(); // the backfill starts on an empty table, as it would without this phase
        }
    }

    /** Waits until no row of the range is unflagged; returns the nanoTime it saw that. Fails if capture dies or stalls. */
    private static long awaitFlagged(PhaseContext c, ServiceProcess capture, String phase, long from, long to, long start) throws Exception {
        long expected = to - from + 1;
        return CountWait.until(phase, () -> expected - c.pg().unsent(from, to), expected, start, c.timeout(), capture::requireAlive,
                Duration.ofMillis(200), c.progress());
    }

    private static long eventsInKafka(IsolatedPipeline pipeline) throws Exception {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            ends.put(new TopicPartition(pipeline.captureAloneTopic(), p), OffsetSpec.latest());
        }
        return pipeline.admin().listOffsets(ends).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }
}
