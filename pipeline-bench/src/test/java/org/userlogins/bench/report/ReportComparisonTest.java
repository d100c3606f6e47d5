package org.userlogins.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userlogins.bench.report.BenchReport.Latency;

class ReportComparisonTest {

    @Test
    void shouldMatchListEntriesByWhatTheyAreNotByTheirPosition() {
        JsonNode report = JsonReport.tree(ReportRenderingTest.report("full"));

        assertThat(ReportComparison.figures(report))
                .containsEntry("latency[10000].p99Ms", 2_500.0)
                .containsEntry("cpu[streaming (inserts, then drain)].msPer1000Rows.stream-processor", 12.0)
                .containsEntry("resources[cdc-capture].peakRssMb", 400.0)
                .doesNotContainKeys("resources[cdc-capture].pid", "machine.cores");
    }

    @Test
    void shouldPrintEachFigureBesideTheEarlierOneWithTheChangeInPercent() {
        BenchReport earlier = ReportRenderingTest.report("full");
        BenchReport now = withLatency(earlier, List.of(new Latency(1_000, 1_000, 60_000, 200, 250, 300, 1_500, 28.5, 12),
                new Latency(10_000, 9_990, 600_000, 300, 400, 2_000, 3_000, 30.0, 14)));

        String text = ReportComparison.render(JsonReport.tree(earlier), JsonReport.tree(now));

        assertThat(text).contains("compared with 2026-11-28T10:00:00Z (revision abc, full)");
        assertThat(text).containsPattern("latency\\[10000\\]\\.p99Ms +2,500.0 +2,000.0 +-20.0%");
        assertThat(text).containsPattern("latency\\[1000\\]\\.p99Ms +300.0 +300.0 +\\+0.0%");
        // series over time are drawn, not compared point by point
        assertThat(ReportComparison.figures(JsonReport.tree(now)).keySet()).noneMatch(path -> path.startsWith("streamingRowsPerSecond"));
    }

    private static BenchReport withLatency(BenchReport r, List<Latency> latency) {
        List<BenchReport.Series> throughput = List.of(new BenchReport.Series("published by cdc-capture", 1, List.of(10L, 20L)));
        return new BenchReport(r.machine(), r.serviceSettings(), r.references(), r.captureAlone(), r.backfill(), r.streaming(), throughput,
                latency, r.soak(), r.resources(), r.rssMbOverTime(), r.servicesPeakRssMb(), r.cpu(), r.targets(), r.totalSeconds(), r.error());
    }
}
