package org.userlogins.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userlogins.bench.report.BenchReport.Backfill;
import org.userlogins.bench.report.BenchReport.CaptureAlone;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.bench.report.BenchReport.References;
import org.userlogins.bench.report.BenchReport.Streaming;
import org.userlogins.bench.report.BenchReport.TargetResult;

class TargetsTest {
    static final References REFS = new References(new Rate(1, 1, 100_000), new Rate(1, 1, 200_000), new Rate(1, 1, 150_000),
            new Rate(1, 1, 300_000));
    /** Backlog at 70% of the no-op engine's rate, streaming at 68%, 390 MB. */
    static final CaptureAlone CAPTURE = new CaptureAlone(new Rate(100_000, 1, 100_000), new Rate(100_000, 2, 50_000),
            new Rate(100_000, 1.43, 70_000), new Rate(100_000, 2.94, 34_000), 2, 390);
    static final Streaming STREAMING = new Streaming(1_000_000, 60, 50_000, 900_000, 100_000, 2, 100_000);
    static final List<Latency> LATENCY = List.of(new Latency(1_000, 1_000, 60_000, 200, 400, 900, 1_500),
            new Latency(10_000, 9_990, 600_000, 300, 800, 2_500, 3_000));

    @Test
    void shouldJudgeTheBackfillTargetOnTheRateProjectedToOneMillionRows() {
        // 100k rows in 2 s: 50,000 rows/s, 20 s for 1M
        List<TargetResult> met = Targets.evaluate(new Backfill(100_000, 1, 2, 50_000), STREAMING, REFS, LATENCY, 900.0);
        // 100k rows in 4 s: 25,000 rows/s, 40 s for 1M
        List<TargetResult> missed = Targets.evaluate(new Backfill(100_000, 1, 4, 25_000), STREAMING, REFS, LATENCY, 900.0);

        assertThat(met.get(0).met()).isTrue();
        assertThat(missed.get(0).met()).isFalse();
        assertThat(missed.get(0).measured()).contains("40.0 s for 1M");
    }

    @Test
    void shouldJudgeStreamingAgainstHalfTheDecodingRateOfTheSameRun() {
        List<TargetResult> half = Targets.evaluate(new Backfill(1, 0, 1, 1), STREAMING, REFS, LATENCY, 900.0);
        Streaming slower = new Streaming(1_000_000, 60, 50_000, 900_000, 100_000, 2, 99_999);
        List<TargetResult> less = Targets.evaluate(new Backfill(1, 0, 1, 1), slower, REFS, LATENCY, 900.0);

        assertThat(half.get(1).met()).isTrue();
        assertThat(half.get(1).measured()).contains("50%");
        assertThat(less.get(1).met()).isFalse();
    }

    @Test
    void shouldJudgeEachLatencyTargetOnTheP99OfItsOwnRateAndTheSumOfServiceMemory() {
        List<TargetResult> results = Targets.evaluate(new Backfill(1, 0, 1, 1), STREAMING, REFS, LATENCY, 1_300.0);

        assertThat(results).extracting(TargetResult::met).containsExactly(false, true, true, false, false);
        assertThat(results.get(3).measured()).contains("p99 2,500 ms");
    }

    @Test
    void shouldJudgeCaptureAgainstSeventyPercentOfDebeziumsNoOpRateAndItsMemoryAgainst400Mb() {
        List<TargetResult> results = Targets.capture(CAPTURE);
        List<TargetResult> heavier = Targets.capture(new CaptureAlone(CAPTURE.noOpBacklog(), CAPTURE.noOpStreaming(), CAPTURE.backlog(),
                CAPTURE.streaming(), 2, 400));

        assertThat(results).extracting(TargetResult::met).containsExactly(true, false, true);
        assertThat(results.get(0).measured()).isEqualTo("70,000 of 100,000 rows/s = 70%");
        assertThat(results.get(1).measured()).isEqualTo("34,000 of 50,000 rows/s = 68%");
        assertThat(heavier.get(2).met()).isFalse();
        assertThat(Targets.capture(null)).extracting(TargetResult::measured).containsOnly("not measured");
    }

    @Test
    void shouldCountAnUnmeasuredRateAsMissed() {
        List<TargetResult> results = Targets.evaluate(new Backfill(1, 0, 1, 1), STREAMING, REFS, List.of(), 100.0);

        assertThat(results.get(2).met()).isFalse();
        assertThat(results.get(2).measured()).isEqualTo("not measured");
    }
}
