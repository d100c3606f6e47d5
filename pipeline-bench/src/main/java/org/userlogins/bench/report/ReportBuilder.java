package org.userlogins.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.userlogins.bench.report.BenchReport.Backfill;
import org.userlogins.bench.report.BenchReport.CaptureAlone;
import org.userlogins.bench.report.BenchReport.CpuUse;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.Machine;
import org.userlogins.bench.report.BenchReport.ProcessResources;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.bench.report.BenchReport.References;
import org.userlogins.bench.report.BenchReport.Streaming;
import org.userlogins.bench.report.BenchReport.TargetResult;

/**
 * Collects each figure as soon as it is measured, so a run that fails half-way (a lost row, a dead
 * service) still reports everything it measured before, beside the error.
 */
public final class ReportBuilder {
    private Machine machine;
    private Map<String, String> serviceSettings = Map.of();
    private Rate postgresInsert;
    private Rate logicalDecoding;
    private Rate kafkaProducer;
    private Rate clickHouseInsert;
    private CaptureAlone captureAlone;
    private boolean captureOnly;
    private boolean latencyOnly;
    private Backfill backfill;
    private Streaming streaming;
    private List<BenchReport.Series> streamingRowsPerSecond = List.of();
    private final List<Latency> latency = new ArrayList<>();
    private BenchReport.Soak soak;
    private List<ProcessResources> resources = List.of();
    private List<BenchReport.Series> rssMbOverTime = List.of();
    private double servicesPeakRssMb;
    private final List<CpuUse> cpu = new ArrayList<>();

    public synchronized void machine(Machine m, Map<String, String> settings) {
        machine = m;
        serviceSettings = settings;
    }

    public synchronized void postgres(Rate insert, Rate decoding) {
        postgresInsert = insert;
        logicalDecoding = decoding;
    }

    public synchronized void kafkaProducer(Rate r) {
        kafkaProducer = r;
    }

    public synchronized void clickHouseInsert(Rate r) {
        clickHouseInsert = r;
    }

    public synchronized void captureAlone(CaptureAlone c) {
        captureAlone = c;
    }

    /** The run measured capture alone and nothing after it: only its targets are judged. */
    public synchronized void captureOnly() {
        captureOnly = true;
    }

    /** Only the fixed rates ran: only the latency targets are judged. */
    public synchronized void latencyOnly() {
        latencyOnly = true;
    }

    public synchronized void backfill(Backfill b) {
        backfill = b;
    }

    public synchronized void streaming(Streaming s) {
        streaming = s;
    }

    /** Each stage's rows per second over the streaming phase. */
    public synchronized void streamingRowsPerSecond(List<BenchReport.Series> series) {
        streamingRowsPerSecond = List.copyOf(series);
    }

    public synchronized void latency(Latency l) {
        latency.add(l);
    }

    public synchronized void soak(BenchReport.Soak s) {
        soak = s;
    }

    public synchronized void cpu(CpuUse c) {
        cpu.add(c);
    }

    public synchronized void resources(List<ProcessResources> r, double servicesPeakMb, List<BenchReport.Series> rssOverTime) {
        resources = List.copyOf(r);
        servicesPeakRssMb = servicesPeakMb;
        rssMbOverTime = List.copyOf(rssOverTime);
    }

    /** The report; {@code error} is null for a completed run. Targets without their figures count as not measured. */
    public synchronized BenchReport build(String error, double totalSeconds) {
        References refs = new References(postgresInsert, logicalDecoding, kafkaProducer, clickHouseInsert);
        List<TargetResult> targets = new ArrayList<>();
        if (latencyOnly) {
            targets.addAll(Targets.latency(latency));
        } else {
            targets.addAll(Targets.capture(captureAlone));
            if (!captureOnly) {
                targets.addAll(Targets.evaluate(backfill, streaming, captureAlone, latency, resources.isEmpty() ? null : servicesPeakRssMb));
            }
        }
        if (soak != null) {
            targets.add(Targets.soak(soak));
        }
        return new BenchReport(machine, serviceSettings, refs, captureAlone, backfill, streaming, streamingRowsPerSecond, List.copyOf(latency), soak,
                resources, rssMbOverTime, servicesPeakRssMb, List.copyOf(cpu), List.copyOf(targets), totalSeconds, error);
    }
}
