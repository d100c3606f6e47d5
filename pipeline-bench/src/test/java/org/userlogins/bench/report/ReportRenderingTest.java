package org.userlogins.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.bench.report.BenchReport.Backfill;
import org.userlogins.bench.report.BenchReport.CpuUse;
import org.userlogins.bench.report.BenchReport.Machine;
import org.userlogins.bench.report.BenchReport.ProcessResources;

class ReportRenderingTest {
    static BenchReport report(String mode) {
        Backfill backfill = new Backfill(100_000, 5, 10, 10_000);
        double peak = 900;
        return new BenchReport(new Machine(mode, "2026-11-28T10:00:00Z", 2, 24_000, "17", "15.18", "4.3.1", "26.7", "abc"),
                Map.of("WRITER_BATCH_ROWS", "10000"), TargetsTest.REFS, TargetsTest.CAPTURE, backfill, TargetsTest.STREAMING, List.of(),
                TargetsTest.LATENCY, null, List.of(new ProcessResources("cdc-capture", 42, 400, 380, 110, 60, 100)), List.of(), peak,
                List.of(new CpuUse("capture alone (backlog + streaming, from launch)", 200_000, ordered("cdc-capture", 41.5, "postgres", 7.0)),
                        new CpuUse("streaming (inserts, then drain)", 1_000_000,
                        ordered("cdc-capture", 30.2, "stream-processor", 12.0, "ch-writer", 3.4, "postgres", 8.0))),
                Targets.evaluate(backfill, TargetsTest.STREAMING, TargetsTest.CAPTURE, TargetsTest.LATENCY, peak), 120, null);
    }

    /** Process names and figures, in the order given (the report's columns follow first appearance). */
    private static Map<String, Double> ordered(Object... nameThenMs) {
        Map<String, Double> cpu = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameThenMs.length; i += 2) {
            cpu.put((String) nameThenMs[i], (Double) nameThenMs[i + 1]);
        }
        return cpu;
    }

    @Test
    void shouldLabelTargetsAsIndicativeOnlyInQuickMode() {
        assertThat(TextReport.render(report("quick"))).contains("targets (2-core machine) (quick: indicative)");
        assertThat(TextReport.render(report("full"))).doesNotContain("indicative");
    }

    @Test
    void shouldPrintEachPipelineRateBesideTheReferencesAsRatios() {
        String text = TextReport.render(report("full"));

        // streaming 100,000 rows/s against decoding 200,000, producer 150,000, ClickHouse 300,000
        assertThat(text).containsPattern("streaming .* 100,000 +50% +67% +33%");
        assertThat(text).contains("WRITER_BATCH_ROWS=10000");
        assertThat(text).containsPattern("MISSED +p99 <= 500 ms at 10,000 rows/s");
        assertThat(text).containsPattern("fixed rate \\(achieved 9,990 rows/s\\) +10,000 +600,000 +300 +800 +2,500 +3,000 +30.0 +14");
    }

    @Test
    void shouldPrintCaptureAloneBesideDebeziumsNoOpEngine() {
        String text = TextReport.render(report("full"));

        assertThat(text).containsPattern("no-op handler: backlog +100,000 +1.0 +100,000");
        assertThat(text).containsPattern("the same, each row flagged after its insert +100,000 +2.5 +40,000");
        assertThat(text).containsPattern("capture: backlog \\(from launch\\) +100,000 +1.3 +75,000 +75%");
        assertThat(text).containsPattern("capture: streaming .* +34,000 +68%");
        assertThat(text).contains("peak RSS 390 MB");
    }

    @Test
    void shouldPrintTheCpuPerThousandRowsOfEachPhaseInAColumnPerProcess() {
        String text = TextReport.render(report("full"));

        assertThat(text).containsPattern("CPU ms per 1,000 rows +capture +postgres +processor +writer");
        assertThat(text).containsPattern("capture alone \\(backlog \\+ streaming, from launch\\) +42 +7 +- +-");
        assertThat(text).containsPattern("streaming \\(inserts, then drain\\) +30 +8 +12 +3");
    }

    @Test
    void shouldReportWhatWasMeasuredBeforeAnErrorAndTheErrorItself() {
        ReportBuilder builder = new ReportBuilder();
        builder.machine(new Machine("full", "2026-11-28T10:00:00Z", 2, 24_000, "17", "15.18", "4.3.1", "26.7", "abc"), Map.of());
        builder.postgres(TargetsTest.REFS.postgresInsert(), TargetsTest.REFS.logicalDecoding());
        builder.backfill(new Backfill(1_000_000, 6, 50, 20_000));

        BenchReport failed = builder.build("3 latency 100/s: 22 unflagged rows", 90);
        String text = TextReport.render(failed);

        assertThat(text).containsPattern("backfill .* 1,000,000 +50.0 +20,000 +10% +- +-");
        assertThat(text).contains("FAILED after 90 s: 3 latency 100/s: 22 unflagged rows");
        // capture alone's three, then the pipeline's five
        assertThat(failed.targets()).extracting(BenchReport.TargetResult::measured).containsExactly("not measured", "not measured",
                "not measured", failed.targets().get(3).measured(), "not measured", "not measured", "not measured", "not measured");
        assertThat(failed.targets().get(3).measured()).contains("50.0 s for 1M");
        assertThat(failed.targets().get(3).met()).isFalse();
    }

    @Test
    void shouldJudgeOnlyCapturesTargetsWhenOnlyCaptureWasMeasured() {
        ReportBuilder builder = new ReportBuilder();
        builder.machine(new Machine("quick", "2026-11-28T10:00:00Z", 2, 24_000, "17", "15.18", "4.3.1", "26.7", "abc"), Map.of());
        builder.captureAlone(TargetsTest.CAPTURE);
        builder.captureOnly();

        BenchReport report = builder.build(null, 40);
        String text = TextReport.render(report);

        assertThat(report.targets()).extracting(BenchReport.TargetResult::target).allMatch(t -> t.startsWith("capture"));
        assertThat(text).doesNotContain("pipeline (PostgreSQL -> ClickHouse FINAL)").contains("Kafka holds an event for each");
    }

    @Test
    void shouldWriteTheSameFiguresAsJson() throws Exception {
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(report("full")));

        assertThat(json.at("/machine/cores").asInt()).isEqualTo(2);
        assertThat(json.at("/references/logicalDecoding/rowsPerSecond").asDouble()).isEqualTo(200_000);
        assertThat(json.at("/latency/1/p99Ms").asLong()).isEqualTo(2_500);
        assertThat(json.at("/targets/0/met").isBoolean()).isTrue();
        assertThat(json.at("/captureAlone/noOpBacklog/rowsPerSecond").asDouble()).isEqualTo(100_000);
    }
}
