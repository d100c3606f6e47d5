package org.userlogins.ops.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static Snapshot snapshot(List<String> down, long backlog, long events, long processorLag, long writerLag, long chRaw) {
        return new Snapshot(down, backlog, 0, events, events, 0, processorLag, writerLag, chRaw, chRaw, List.of());
    }

    @Test
    void shouldBeInSyncWhenNothingIsPendingAnywhere() {
        Snapshot s = snapshot(List.of(), 0, 100, 0, 0, 100);

        assertThat(Verdict.of(s, s)).isEqualTo("in sync");
    }

    @Test
    void shouldBeCatchingUpWhenRecordsArePendingAndMoving() {
        Snapshot before = snapshot(List.of(), 50, 100, 10, 10, 80);
        Snapshot after = snapshot(List.of(), 20, 130, 5, 5, 120);

        assertThat(Verdict.of(before, after)).isEqualTo("catching up: 30 records in flight");
    }

    @Test
    void shouldNameTheStageThatDoesNotMove() {
        Snapshot stuck = snapshot(List.of(), 0, 100, 0, 40, 60);

        assertThat(Verdict.of(stuck, stuck)).isEqualTo("stalled: ch-writer with lag 40 is not making progress (./pipeline logs ch-writer)");
    }

    @Test
    void shouldCallAPipelineWithADownServiceAndPendingWorkStalled() {
        Snapshot s = snapshot(List.of("stream-processor"), 0, 100, 25, 0, 75);

        assertThat(Verdict.of(s, s)).isEqualTo("stalled: stream-processor down (./pipeline up starts what is down)");
    }

    @Test
    void shouldReportAnUnreachableServerFirst() {
        Snapshot s = new Snapshot(List.of(), -1, -1, 0, 0, 0, 0, 0, 0, 0, List.of("PostgreSQL unreachable (refused)"));

        assertThat(Verdict.of(s, s)).isEqualTo("stalled: PostgreSQL unreachable (refused)");
    }
}
