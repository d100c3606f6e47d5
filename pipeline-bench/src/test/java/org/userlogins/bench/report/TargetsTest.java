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
    /** Backlog at 75% of the no-op engine's rate, streaming at 68%, 390 MB. */
    static final CaptureAlone CAPTURE = new CaptureAlone(new Rate(100_000, 1, 100_000), new Rate(100_000, 2, 50_000),
            new Rate(100_000, 2.5, 40_000), new Rate(100_000, 1.33, 75_000), new Rate(100_000, 2.94, 34_000), 2, 390);
    static final Streaming STREAMING = new Streaming(1_000_000, 60, 50_000, 900_000, 100_000, 2, 100_000);
    static final List<Latency> LATENCY = List.of(new Latency(1_000, 1_000, 60_000, 200, 250, 300, 1_500, 28.5, 12),
            new Latency(10_000, 9_990, 600_000, 300, 800, 2_500, 3_000, 30.0, 14));

    @Test
    void shouldJudgeTheBackfillTargetOnTheRateProjectedToOneMillionRows() {
        // 100k rows in 2 s: 50,000 rows/s, 20 s for 1M
        List<TargetResult> met = Targets.evaluate(new Backfill(100_000, 1, 2, 50_000), STREAMING, CAPTURE, LATENCY, 900.0);
        // 100k rows in 4 s: 25,000 rows/s, 40 s for 1M
        List<TargetResult> missed = Targets.evaluate(new Backfill(100_000, 1, 4, 25_000), STREAMING, CAPTURE, LATENCY, 900.0);

        assertThat(met.get(0).met()).isTrue();
        assertThat(missed.get(0).met()).isFalse();
        assertThat(missed.get(0).measured()).contains("40.0 s for 1M");
    }

    @Test
    void shouldJudgeStreamingAgainstSixtyPercentOfTheNoOpEnginesStreamingRateOfTheSameRun() {
        // the no-op engine streamed 50,000 rows/s: 30,000 is 60%
        Streaming atTarget = new Streaming(1_000_000, 60, 50_000, 900_000, 100_000, 2, 30_000);
        Streaming slower = new Streaming(1_000_000, 60, 50_000, 900_000, 100_000, 2, 29_999);
        List<TargetResult> met = Targets.evaluate(new Backfill(1, 0, 1, 1), atTarget, CAPTURE, LATENCY, 900.0);
        List<TargetResult> missed = Targets.evaluate(new Backfill(1, 0, 1, 1), slower, CAPTURE, LATENCY, 900.0);

        assertThat(met.get(1).met()).isTrue();
        assertThat(met.get(1).measured()).isEqualTo("30,000 of 50,000 rows/s = 60%");
        assertThat(missed.get(1).met()).isFalse();
        assertThat(Targets.evaluate(null, atTarget, null, LATENCY, 900.0).get(1).measured()).isEqualTo("not measured");
    }

    @Test
    void shouldJudgeEachLatencyTargetOnTheP99OfItsOwnRateAndTheSumOfServiceMemory() {
        List<TargetResult> results = Targets.evaluate(new Backfill(1, 0, 1, 1), STREAMING, CAPTURE, LATENCY, 1_100.0);

        // p99 300 ms at 1,000 rows/s meets its 300 ms; 2,500 ms at 10,000 misses 500 ms; 1,100 MB misses 1.0 GB
        assertThat(results).extracting(TargetResult::met).containsExactly(false, true, true, false, false);
        assertThat(results.get(3).measured()).contains("p99 2,500 ms");
        assertThat(Targets.evaluate(new Backfill(1, 0, 1, 1), STREAMING, CAPTURE, LATENCY, 1_024.0).get(4).met()).isTrue();
    }

    @Test
    void shouldJudgeCaptureAgainstSeventyFivePercentOfDebeziumsNoOpRateAndItsMemoryAgainst400Mb() {
        List<TargetResult> results = Targets.capture(CAPTURE);
        List<TargetResult> heavier = Targets.capture(new CaptureAlone(CAPTURE.noOpBacklog(), CAPTURE.noOpStreaming(), CAPTURE.noOpStreamingFlagged(), CAPTURE.backlog(),
                CAPTURE.streaming(), 2, 400));

        assertThat(results).extracting(TargetResult::met).containsExactly(true, false, true);
        assertThat(results.get(0).measured()).isEqualTo("75,000 of 100,000 rows/s = 75%");
        assertThat(results.get(1).measured()).isEqualTo("34,000 of 50,000 rows/s = 68%");
        assertThat(heavier.get(2).met()).isFalse();
        assertThat(Targets.capture(null)).extracting(TargetResult::measured).containsOnly("not measured");
    }

    @Test
    void shouldCountAnUnmeasuredRateAsMissed() {
        List<TargetResult> results = Targets.evaluate(new Backfill(1, 0, 1, 1), STREAMING, CAPTURE, List.of(), 100.0);

        assertThat(results.get(2).met()).isFalse();
        assertThat(results.get(2).measured()).isEqualTo("not measured");
    }

    @Test
    void shouldJudgeTheSoakFlatWhenTheSecondHalfPeaksNoHigherThanTheFirstAndNothingWasRefused() {
        BenchReport.Soak flat = soak(List.of(8L, 20L, 14L, 9L, 22L, 12L, 19L, 10L), 0);
        assertThat(flat.partsMaxFirstHalf()).isEqualTo(20);
        assertThat(flat.partsMaxSecondHalf()).isEqualTo(22);
        assertThat(Targets.soak(flat).met()).as("22 after 20: within a merge's worth").isTrue();

        BenchReport.Soak growing = soak(List.of(8L, 20L, 30L, 40L, 55L, 70L, 85L, 100L), 0);
        assertThat(Targets.soak(growing).met()).as("merges fall behind: 100 after 40").isFalse();

        BenchReport.Soak refused = soak(List.of(8L, 20L, 14L, 9L), 3);
        assertThat(Targets.soak(refused).met()).as("an insert refused with TOO_MANY_PARTS").isFalse();
        assertThat(Targets.soak(refused).measured()).contains("3 refused");
    }

    private static BenchReport.Soak soak(List<Long> parts, long refused) {
        return new BenchReport.Soak(10_000, 10_000, 600, 6_000_000, 150, 400, 30, parts, 0, refused);
    }
}
