package org.userlogins.bench.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.userlogins.bench.report.BenchReport.CpuUse;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.ProcessResources;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.bench.report.BenchReport.References;
import org.userlogins.bench.report.BenchReport.TargetResult;

/** The report as text tables: references, pipeline rates beside them as ratios, latency, resources, targets. */
public final class TextReport {
    private TextReport() {
    }

    public static String render(BenchReport r) {
        StringBuilder out = new StringBuilder();
        BenchReport.Machine m = r.machine();
        if (m != null) {
            out.append(String.format("pipeline bench (%s), %s, revision %s%n", m.mode(), m.startedAt(), m.revision()));
            out.append(String.format("machine: %d cores, %,d MB memory; Java %s; PostgreSQL %s, Kafka %s, ClickHouse %s%n",
                    m.cores(), m.memoryMb(), m.java(), m.postgres(), m.kafka(), m.clickhouse()));
        }
        out.append("service settings: ").append(r.serviceSettings().isEmpty() ? "defaults (stack/service-jvm.env)"
                : r.serviceSettings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")))
                .append("\n\n");
        References refs = r.references();
        out.append(String.format("%-50s %11s %8s %11s%n", "references (same run, services stopped)", "rows", "s", "rows/s"));
        rate(out, "PostgreSQL insert (1,000-row tx, 1 client)", refs.postgresInsert());
        rate(out, "PostgreSQL logical decoding (pgoutput, SQL)", refs.logicalDecoding());
        rate(out, "Kafka producer (same JSON, acks=all, lz4, idem.)", refs.kafkaProducer());
        rate(out, "ClickHouse bulk insert (RowBinary, 100k rows)", refs.clickHouseInsert());
        BenchReport.CaptureAlone c = r.captureAlone();
        if (c != null) {
            out.append(String.format("%n%-50s %11s %8s %11s %9s%n", "cdc-capture alone (PostgreSQL -> acked, flagged)", "rows", "s", "rows/s",
                    "/no-op"));
            rate(out, "Debezium engine, no-op handler: backlog", c.noOpBacklog());
            rate(out, "Debezium engine, no-op handler: streaming", c.noOpStreaming());
            rate(out, "  the same, each row flagged after its insert", c.noOpStreamingFlagged());
            out.append(String.format("  %-48s %,11d %8.1f %,11.0f %8.0f%%%n", "capture: backlog (from launch)", c.backlog().rows(),
                    c.backlog().seconds(), c.backlog().rowsPerSecond(), 100 * c.backlogShare()));
            out.append(String.format("  %-48s %,11d %8.1f %,11.0f %8.0f%%%n", "capture: streaming (1,000-row tx)", c.streaming().rows(),
                    c.streaming().seconds(), c.streaming().rowsPerSecond(), 100 * c.streamingShare()));
            out.append(String.format("  capture: %.1f s from launch until healthy; peak RSS %,.0f MB%n", c.startupSeconds(), c.peakRssMb()));
        }
        boolean pipelineMeasured = r.backfill() != null || !r.latency().isEmpty() || r.error() != null;
        if (pipelineMeasured) {
            out.append(String.format("%n%-50s %11s %8s %11s %9s %9s %9s%n", "pipeline (PostgreSQL -> ClickHouse FINAL)", "rows", "s", "rows/s",
                    "/decode", "/produce", "/CH ins"));
            BenchReport.Backfill b = r.backfill();
            if (b != null) {
                ratios(out, "backfill (launch -> all stored and flagged)", b.rows(), b.seconds(), b.rowsPerSecond(), refs);
            }
            BenchReport.Streaming s = r.streaming();
            if (s != null) {
                ratios(out, "streaming (flat-out inserts, then drain)", s.inserted(), s.phaseSeconds() + s.drainSeconds(), s.rowsPerSecond(), refs);
            }
            if (b != null) {
                out.append(String.format("  backfill: %.1f s of it until the three services were healthy%n", b.startupSeconds()));
            }
            if (s != null) {
                out.append(String.format("  streaming: inserted at %,.0f rows/s for %.0f s; %,d delivered during the phase, backlog %,d at its end, "
                        + "drained in %.1f s%n", s.insertRowsPerSecond(), s.phaseSeconds(), s.deliveredDuringPhase(), s.backlogAtEnd(), s.drainSeconds()));
            }
            out.append(String.format("%n%-50s %9s %8s %7s %7s %7s %7s %9s %6s%n", "latency, commit -> in ClickHouse, per row (ms)", "target/s",
                    "rows", "p50", "p95", "p99", "max", "CH ins/s", "parts"));
            for (Latency l : r.latency()) {
                out.append(String.format("  %-48s %,9d %,8d %,7d %,7d %,7d %,7d %9.1f %,6d%n", String.format("fixed rate (achieved %,d rows/s)",
                        l.achievedRate()), l.targetRate(), l.rows(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs(), l.insertsPerSecond(), l.activeParts()));
            }
            BenchReport.Soak soak = r.soak();
            if (soak != null) {
                out.append(String.format("  %-48s %,9d %,8d %,7d %7s %,7d %7s %9.1f %,6d%n", String.format("soak, %.0f s (achieved %,d rows/s)",
                        soak.seconds(), soak.achievedRate()), soak.targetRate(), soak.rows(), soak.p50Ms(), "", soak.p99Ms(), "",
                        soak.insertsPerSecond(), soak.activeParts().get(soak.activeParts().size() - 1)));
                out.append(String.format("  soak: active parts every 15 s %s: %s; %,d inserts delayed, %,d refused (TOO_MANY_PARTS)%n",
                        soak.activeParts(), soak.partsFlat() ? "flat" : "growing", soak.delayedInserts(), soak.tooManyPartsErrors()));
            }
            out.append(String.format("%n%-50s %9s %9s %9s %9s%n", "resources during latency and streaming (500 ms)", "peak MB", "steady MB",
                    "peak CPU%", "median CPU%"));
            for (ProcessResources p : r.resources()) {
                out.append(String.format("  %-48s %,9.0f %,9.0f %9.0f %9.0f%n", p.name() + " (pid " + p.pid() + ")", p.peakRssMb(),
                        p.steadyRssMb(), p.peakCpuPercent(), p.steadyCpuPercent()));
            }
            if (!r.resources().isEmpty()) {
                out.append(String.format("  %-48s %,9.0f%n", "the three services together (peak of the sum)", r.servicesPeakRssMb()));
                out.append(String.format("  (RSS; postgres: PSS summed over its processes; CPU 100%% = one core)%n"));
            }
        }
        cpu(out, r.cpu());
        boolean quick = m != null && m.mode().startsWith("quick");
        out.append(String.format("%ntargets (2-core machine)%s%n", quick ? " (quick: indicative)" : ""));
        for (TargetResult t : r.targets()) {
            out.append(String.format("  %-6s %-55s %s%n", t.met() ? "met" : "MISSED", t.target(), t.measured()));
        }
        if (r.error() != null) {
            out.append(String.format("%nFAILED after %.0f s: %s%n", r.totalSeconds(), r.error()));
        } else if (pipelineMeasured) {
            out.append(String.format("%ncorrectness: every phase's ids stored exactly once (FINAL) and flagged in PostgreSQL; total %.0f s%n",
                    r.totalSeconds()));
        } else {
            out.append(String.format("%ncorrectness: every row flagged in PostgreSQL, and Kafka holds an event for each; total %.0f s%n",
                    r.totalSeconds()));
        }
        return out.toString();
    }

    /** One line per phase, one column per process (the union over phases; "-" where a process did not run). */
    private static void cpu(StringBuilder out, List<CpuUse> cpu) {
        if (cpu == null || cpu.isEmpty()) {
            return;
        }
        Set<String> processes = new LinkedHashSet<>();
        cpu.forEach(c -> processes.addAll(c.msPer1000Rows().keySet()));
        out.append(String.format("%n%-40s", "CPU ms per 1,000 rows"));
        processes.forEach(p -> out.append(String.format(" %10s", shortName(p))));
        out.append(String.format("%n"));
        for (CpuUse c : cpu) {
            out.append(String.format("  %-38s", c.phase()));
            for (String p : processes) {
                Double ms = c.msPer1000Rows().get(p);
                out.append(ms == null ? String.format(" %10s", "-") : String.format(" %,10.0f", ms));
            }
            out.append(String.format("%n"));
        }
    }

    private static String shortName(String process) {
        return switch (process) {
            case "cdc-capture" -> "capture";
            case "stream-processor" -> "processor";
            case "ch-writer" -> "writer";
            default -> process.length() > 10 ? process.substring(0, 10) : process;
        };
    }

    private static void rate(StringBuilder out, String label, Rate rate) {
        if (rate == null) {
            return;
        }
        out.append(String.format("  %-48s %,11d %8.1f %,11.0f%n", label, rate.rows(), rate.seconds(), rate.rowsPerSecond()));
    }

    private static void ratios(StringBuilder out, String label, long rows, double seconds, double rowsPerSecond, References refs) {
        out.append(String.format("  %-48s %,11d %8.1f %,11.0f %9s %9s %9s%n", label, rows, seconds, rowsPerSecond,
                ratio(rowsPerSecond, refs.logicalDecoding()), ratio(rowsPerSecond, refs.kafkaProducer()),
                ratio(rowsPerSecond, refs.clickHouseInsert())));
    }

    private static String ratio(double rowsPerSecond, Rate reference) {
        return reference == null ? "-" : String.format("%.0f%%", 100 * rowsPerSecond / reference.rowsPerSecond());
    }
}
