package org.userlogins.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.ProcessResources;
import org.userlogins.bench.report.BenchReport.Series;

/**
 * The report as a picture, one panel under another: latency per fixed rate, each stage's rows per
 * second over the streaming phase, memory per process (peak and median), memory over time. A
 * panel whose figures the run did not measure (or an earlier report did not record) says so.
 * {@code main} draws an earlier report: {@code SvgReport REPORT.json [OUT.svg]}.
 */
public final class SvgReport {
    static final String LATENCY = "latency";
    static final String THROUGHPUT = "throughput";
    static final String MEMORY = "memory";
    static final String MEMORY_OVER_TIME = "memory-over-time";

    private static final String NOT_RECORDED = "not recorded in this report (reports record it since the picture was added)";
    private static final int WIDTH = 1000;
    private static final int HEADER = 56;
    private static final int PANEL = 320;
    private static final int GAP = 16;

    private SvgReport() {
    }

    public static String render(BenchReport r) {
        SvgChart svg = new SvgChart(WIDTH);
        BenchReport.Machine m = r.machine();
        svg.text(10, 22, m == null ? "pipeline bench" : String.format("pipeline bench (%s), %s, revision %s", m.mode(), m.startedAt(),
                m.revision()), 16, "start", true);
        String machine = m == null ? "" : String.format(Locale.ROOT, "%d cores, %,d MB memory; Java %s; PostgreSQL %s, Kafka %s, ClickHouse %s",
                m.cores(), m.memoryMb(), m.java(), m.postgres(), m.kafka(), m.clickhouse());
        svg.text(10, 42, r.error() == null ? machine : "FAILED: " + r.error(), 11, "start", false);
        int y = HEADER;
        y += latency(svg, r, y) + GAP;
        y += throughput(svg, r, y) + GAP;
        y += memory(svg, r, y) + GAP;
        y += memoryOverTime(svg, r, y);
        return svg.render(y + GAP);
    }

    public static void write(BenchReport report, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, render(report));
    }

    /** report-TIME.json -> report-TIME.svg, in the same directory. */
    public static Path beside(Path jsonReport) {
        String name = jsonReport.getFileName().toString();
        return jsonReport.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".svg");
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SvgReport REPORT.json [OUT.svg]");
            System.exit(2);
        }
        Path out = args.length == 2 ? Path.of(args[1]) : beside(Path.of(args[0]));
        write(JsonReport.readReport(Path.of(args[0])), out);
        System.out.println("picture: " + out);
    }

    /** Each panel draws itself at {@code y} and returns its height. */
    private static int latency(SvgChart svg, BenchReport r, int y) {
        List<String> rates = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Latency l : r.latency() == null ? List.<Latency>of() : r.latency()) {
            rates.add(SvgChart.number(l.targetRate()) + " rows/s");
            values.add(new double[] {l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs()});
        }
        BenchReport.Soak soak = r.soak();
        if (soak != null) {
            rates.add(String.format(Locale.ROOT, "soak %s rows/s, %.0f s", SvgChart.number(soak.targetRate()), soak.seconds()));
            values.add(new double[] {soak.p50Ms(), Double.NaN, soak.p99Ms(), Double.NaN}); // the soak measures p50 and p99 only
        }
        String title = "Latency per fixed rate: PostgreSQL commit to stored in ClickHouse, per row (ms, log scale)";
        if (rates.isEmpty()) {
            svg.missing(LATENCY, 10, y, title, "no fixed-rate phase in this run");
            return SvgChart.MISSING_HEIGHT;
        }
        SvgChart.Plot plot = svg.plot(LATENCY, 10, y, WIDTH - 20, PANEL, title, List.of("p50", "p95", "p99", "max"));
        double[] all = values.stream().flatMapToDouble(Arrays::stream).filter(v -> !Double.isNaN(v)).toArray();
        plot.yAxis(SvgChart.Axis.log(Arrays.stream(all).min().orElse(1), Arrays.stream(all).max().orElse(1)));
        plot.groupedBars(rates, values.toArray(new double[0][]));
        plot.end();
        return PANEL;
    }

    private static int throughput(SvgChart svg, BenchReport r, int y) {
        List<Series> stages = r.streamingRowsPerSecond() == null ? List.of() : r.streamingRowsPerSecond();
        String interval = stages.isEmpty() ? "" : String.format(Locale.ROOT, ", every %s s", trim(stages.get(0).intervalSeconds()));
        String phase = r.streaming() == null ? "" : String.format(Locale.ROOT, ": inserts flat out for %.0f s, then the backlog drains",
                r.streaming().phaseSeconds());
        return overTime(svg, THROUGHPUT, y, "Throughput per stage in the streaming phase (rows/s" + interval + ")" + phase, stages,
                "seconds since the phase's first insert", r.streaming() == null ? "no streaming phase in this run" : NOT_RECORDED);
    }

    private static int memory(SvgChart svg, BenchReport r, int y) {
        List<ProcessResources> resources = r.resources() == null ? List.of() : r.resources();
        List<String> processes = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (ProcessResources p : resources) {
            processes.add(p.name());
            values.add(new double[] {p.peakRssMb(), p.steadyRssMb()});
        }
        if (r.servicesPeakRssMb() > 0) {
            processes.add("3 services (sum)");
            values.add(new double[] {r.servicesPeakRssMb(), Double.NaN}); // the sum's peak is sampled; a median of it is not
        }
        String title = "Memory per process in the latency and streaming phases (RSS MB; postgres: PSS of its processes)";
        if (processes.isEmpty()) {
            svg.missing(MEMORY, 10, y, title, "not sampled in this run");
            return SvgChart.MISSING_HEIGHT;
        }
        SvgChart.Plot plot = svg.plot(MEMORY, 10, y, WIDTH - 20, PANEL, title, List.of("peak", "median"));
        plot.yAxis(SvgChart.Axis.linear(values.stream().flatMapToDouble(Arrays::stream).filter(v -> !Double.isNaN(v)).max().orElse(1)));
        plot.groupedBars(processes, values.toArray(new double[0][]));
        plot.end();
        return PANEL;
    }

    private static int memoryOverTime(SvgChart svg, BenchReport r, int y) {
        List<Series> processes = r.rssMbOverTime() == null ? List.of() : r.rssMbOverTime();
        String bucket = processes.isEmpty() ? "" : String.format(Locale.ROOT, ", peak of every %s s", trim(processes.get(0).intervalSeconds()));
        return overTime(svg, MEMORY_OVER_TIME, y, "Memory over time (RSS MB" + bucket + ")", processes,
                "seconds since the fixed rates began (then the streaming phase)",
                r.resources() == null || r.resources().isEmpty() ? "not sampled in this run" : NOT_RECORDED);
    }

    /** A polyline per series on a linear axis from zero; {@code none} when there is none. */
    private static int overTime(SvgChart svg, String id, int y, String title, List<Series> series, String xLabel, String none) {
        if (series.stream().allMatch(s -> s.values().isEmpty())) {
            svg.missing(id, 10, y, title, none);
            return SvgChart.MISSING_HEIGHT;
        }
        SvgChart.Plot plot = svg.plot(id, 10, y, WIDTH - 20, PANEL, title, series.stream().map(Series::name).toList());
        double seconds = series.stream().mapToDouble(s -> (s.values().size() - 1) * s.intervalSeconds()).max().orElse(1);
        plot.yAxis(SvgChart.Axis.linear(series.stream().flatMap(s -> s.values().stream()).mapToLong(Long::longValue).max().orElse(1)));
        plot.timeAxis(seconds, xLabel);
        for (int i = 0; i < series.size(); i++) {
            plot.line(series.get(i).name(), i, series.get(i).intervalSeconds(), series.get(i).values(), seconds);
        }
        plot.end();
        return PANEL;
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
