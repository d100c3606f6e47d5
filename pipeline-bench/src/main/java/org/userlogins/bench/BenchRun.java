package org.userlogins.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import org.userlogins.bench.config.BenchSettings;
import org.userlogins.bench.load.Postgres;
import org.userlogins.bench.measure.CpuMeter;
import org.userlogins.bench.measure.Delivery;
import org.userlogins.bench.measure.ProcReader;
import org.userlogins.bench.measure.Progress;
import org.userlogins.bench.measure.ResourceSampler;
import org.userlogins.bench.measure.ResourceSampler.Watched;
import org.userlogins.bench.phase.BackfillPhase;
import org.userlogins.bench.phase.CaptureAlonePhase;
import org.userlogins.bench.phase.LatencyPhase;
import org.userlogins.bench.phase.PhaseContext;
import org.userlogins.bench.phase.SoakPhase;
import org.userlogins.bench.phase.StreamingPhase;
import org.userlogins.bench.pipeline.IsolatedPipeline;
import org.userlogins.bench.pipeline.ServiceProcess;
import org.userlogins.bench.reference.ClickHouseInsertRate;
import org.userlogins.bench.reference.LogicalDecodingRate;
import org.userlogins.bench.reference.ProducerRate;
import org.userlogins.bench.report.BenchReport;
import org.userlogins.bench.report.BenchReport.Backfill;
import org.userlogins.bench.report.BenchReport.CpuUse;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.bench.report.BenchReport.Streaming;
import org.userlogins.bench.report.ReportBuilder;
import org.userlogins.ops.probe.ClickHouseProbe;

/**
 * One bench run, in order: references (services stopped), cdc-capture alone beside Debezium's
 * no-op engine, backfill, the ClickHouse reference,
 * then the fixed rates, the soak if asked for, and streaming with resources sampled. Any phase whose rows do not all
 * arrive exactly once, or a service that dies, fails the run.
 */
public final class BenchRun {

    private BenchRun() {
    }

    /** Fills {@code report} phase by phase; throws on the first error, leaving what was measured in it. */
    public static void run(BenchSettings s, IsolatedPipeline pipeline, ReportBuilder report) throws Exception {
        Progress progress = new Progress();
        try (Postgres pg = Postgres.connect(s.ops()); ClickHouseProbe ch = new ClickHouseProbe(pipeline.opsSettings());
             ClickHouseProbe chAdmin = new ClickHouseProbe(pipeline.adminOpsSettings())) {
            int leftover = pg.dropInactiveSlots("bench\\_%");
            if (leftover > 0) {
                progress.done("dropped " + leftover + " replication slot(s) left by an interrupted bench");
            }
            pg.truncate();
            pipeline.createTopics();
            PhaseContext c = new PhaseContext(s, s.ops(), pg, new Delivery(ch, chAdmin, pg, progress, pipeline::requireServicesAlive), progress,
                    servers(s));
            report.machine(new BenchReport.Machine(s.mode(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    Runtime.getRuntime().availableProcessors(), memoryMb(), System.getProperty("java.version"), pg.version(),
                    AppInfoParser.getVersion(), ch.query("SELECT version()").get(0).getString(1),
                    s.env().getOrDefault("BENCH_REVISION", "unknown")), s.serviceOverrides());

            if (s.latencyOnly()) {
                report.latencyOnly();
                pipeline.start();
                warmUp(c);
                sampled(s, pipeline, report, () -> fixedRates(s, c, pipeline, report));
                pg.truncate();
                return;
            }
            progress.done(String.format("references: %,d rows each, services stopped", s.rows()));
            Rate[] postgres = LogicalDecodingRate.measure(s.ops(), s.rows());
            report.postgres(postgres[0], postgres[1]);
            Rate producer = ProducerRate.measure(s.ops(), pipeline.producerReferenceTopic(), s.rows());
            report.kafkaProducer(producer);
            progress.done(String.format("  postgres insert %,.0f rows/s, logical decoding %,.0f rows/s, kafka producer %,.0f rows/s",
                    postgres[0].rowsPerSecond(), postgres[1].rowsPerSecond(), producer.rowsPerSecond()));

            report.captureAlone(CaptureAlonePhase.run(c, pipeline, report::cpu));
            if (s.captureOnly()) {
                report.captureOnly();
                return;
            }
            Map<String, ProcReader.Reading> before = new CpuMeter(c.servers()).snapshot(); // the services are launched by the phase
            Backfill backfill = BackfillPhase.run(c, pipeline);
            report.backfill(backfill);
            report.cpu(new CpuUse("backfill (from launch)", backfill.rows(),
                    CpuMeter.msPer1000Rows(before, new CpuMeter(watched(s, pipeline)).snapshot(), backfill.rows())));
            Rate clickHouse = ClickHouseInsertRate.measure(pipeline.adminOpsSettings(), pipeline.clickHouseDatabase(), s.rows());
            report.clickHouseInsert(clickHouse);
            progress.done(String.format("  clickhouse bulk insert %,.0f rows/s", clickHouse.rowsPerSecond()));

            sampled(s, pipeline, report, () -> {
                // The fixed rates first: after the streaming phase's backlog of millions, PostgreSQL
                // checkpoints and vacuums and ClickHouse merges for minutes, which is not the steady state.
                fixedRates(s, c, pipeline, report);
                CpuMeter meter = new CpuMeter(watched(s, pipeline));
                Map<String, ProcReader.Reading> start = meter.snapshot();
                Streaming streaming = StreamingPhase.run(c, pipeline.services(), report::streamingRowsPerSecond);
                report.streaming(streaming);
                report.cpu(new CpuUse("streaming (inserts, then drain)", streaming.inserted(),
                        CpuMeter.msPer1000Rows(start, meter.snapshot(), streaming.inserted())));
            });
            pg.truncate(); // the bench's own database: millions of rows nobody needs; kept after a failure, to look at
        }
    }

    /** Phases that run with every process's RSS and CPU sampled; the samples go into the report even when a phase fails. */
    private interface Phases {
        void run() throws Exception;
    }

    private static void sampled(BenchSettings s, IsolatedPipeline pipeline, ReportBuilder report, Phases phases) throws Exception {
        ResourceSampler sampler = new ResourceSampler(watched(s, pipeline));
        try {
            phases.run();
        } finally {
            sampler.close();
            report.resources(sampler.results(), sampler.servicesPeakMb(), sampler.memoryOverTime());
        }
    }

    /**
     * Before the fixed rates when nothing ran before them: the groups join and the JVMs compile on
     * these rows, not on the first measured ones (in a full run the backfill does this).
     */
    private static void warmUp(PhaseContext c) throws Exception {
        int rows = 10_000;
        long from = c.pg().maxId() + 1;
        c.pg().insert(rows, false);
        c.delivery().awaitAll("warm-up", from, c.pg().maxId(), rows, System.nanoTime(), c.timeout());
        c.progress().done(String.format("warm-up: %,d rows through the pipeline before the fixed rates", rows));
    }

    /** The fixed rates, then the soak if asked for, each with its CPU per row. */
    private static void fixedRates(BenchSettings s, PhaseContext c, IsolatedPipeline pipeline, ReportBuilder report) throws Exception {
        CpuMeter meter = new CpuMeter(watched(s, pipeline));
        for (int rate : s.latencyRates()) {
            Map<String, ProcReader.Reading> start = meter.snapshot();
            Latency latency = LatencyPhase.run(c, rate);
            report.latency(latency);
            report.cpu(new CpuUse(String.format("latency phase at %,d rows/s", rate), latency.rows(),
                    CpuMeter.msPer1000Rows(start, meter.snapshot(), latency.rows())));
        }
        if (!s.soak().isZero()) {
            Map<String, ProcReader.Reading> start = meter.snapshot();
            BenchReport.Soak soak = SoakPhase.run(c, s.soakRate());
            report.soak(soak);
            report.cpu(new CpuUse(String.format("soak at %,d rows/s", soak.targetRate()), soak.rows(),
                    CpuMeter.msPer1000Rows(start, meter.snapshot(), soak.rows())));
        }
    }

    /** The three services (once launched) and the servers. */
    private static List<Watched> watched(BenchSettings s, IsolatedPipeline pipeline) throws Exception {
        List<Watched> watched = new ArrayList<>();
        for (ServiceProcess service : pipeline.services()) {
            watched.add(new Watched(service.module(), service.pid(), false, true));
        }
        watched.addAll(servers(s));
        return watched;
    }

    /** PostgreSQL (its whole process tree), Kafka and ClickHouse, by the stack's PID files. */
    private static List<Watched> servers(BenchSettings s) throws Exception {
        List<Watched> servers = new ArrayList<>();
        for (String server : List.of("postgres", "kafka", "clickhouse")) {
            Path pidFile = s.runDir().resolve(server + ".pid");
            if (Files.exists(pidFile)) {
                servers.add(new Watched(server, Long.parseLong(Files.readString(pidFile).trim()), server.equals("postgres"), false));
            }
        }
        return servers;
    }

    private static long memoryMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return 0;
    }
}
