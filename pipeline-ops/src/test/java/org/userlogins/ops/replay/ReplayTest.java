package org.userlogins.ops.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.userlogins.events.RangeMark;

class ReplayTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void shouldParseTheThreeTargets() {
        assertThat(ReplayTarget.parse(new String[] {"--to-earliest"}, NOW).at()).isNull();
        assertThat(ReplayTarget.parse(new String[] {"--to-datetime", "2026-11-28T10:00:00Z"}, NOW).at())
                .isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        ReplayTarget byDuration = ReplayTarget.parse(new String[] {"--by-duration", "P1DT2H", "--dry-run"}, NOW);
        assertThat(byDuration.at()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(byDuration.dryRun()).isTrue();
    }

    @Test
    void shouldRejectMissingOrConflictingArguments() {
        assertThatThrownBy(() -> ReplayTarget.parse(new String[] {}, NOW)).hasMessageStartingWith("usage:");
        assertThatThrownBy(() -> ReplayTarget.parse(new String[] {"--to-earliest", "--by-duration", "PT1H"}, NOW))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ReplayTarget.parse(new String[] {"--to-datetime", "yesterday"}, NOW))
                .hasMessageContaining("not a UTC time");
        assertThatThrownBy(() -> ReplayTarget.parse(new String[] {"--by-duration"}, NOW)).hasMessageContaining("needs a value");
    }

    @Test
    void shouldNeverMoveALaggingGroupForward() {
        // The reproduction: committed 98042, the time's first record at 99029 (p0); p1 has no
        // record at or after the time: its target would be its end, 800.
        ReplayPlan plan = ReplayPlan.of(Map.of(0, at(98042), 1, at(500)), Map.of(0, 0L, 1, 0L),
                Map.of(0, 100_000L, 1, 800L), Map.of(0, 99029L, 1, -1L));

        assertThat(plan.target()).containsEntry(0, 98042L).containsEntry(1, 500L);
        assertThat(plan.toCommit()).as("a kept partition is not written at all").isEmpty();
        assertThat(plan.kept()).containsExactly(0, 1);
        assertThat(plan.recordsToReRead()).isZero();
        assertThat(plan.recordsNotYetStored()).isEqualTo((100_000 - 98042) + (800 - 500));
        assertThat(plan.describe())
                .contains("partition 0: 98042 -> 98042 (0 to re-read, 1958 not yet stored): kept its committed offset, "
                        + "the target 99029 is beyond it: the group has not stored the records from 98042 on yet")
                .contains("partition 1: 500 -> 500 (0 to re-read, 300 not yet stored): kept its committed offset, "
                        + "no record at or after the time (the target would be the end, 800)")
                .contains("0 records will be re-read; 2258 records not yet stored are read as well")
                .contains("partitions [0, 1] kept their committed offset");
    }

    @Test
    void shouldMoveBackOnlyThePartitionsWhoseTargetIsBeforeTheirCommittedOffset() {
        // p0 moves back 40; p1 lags past the time (kept); p2 is at the time's offset exactly (kept, untouched).
        ReplayPlan plan = ReplayPlan.of(Map.of(0, at(100), 1, at(50), 2, at(70)), Map.of(0, 0L, 1, 0L, 2, 0L),
                Map.of(0, 100L, 1, 90L, 2, 80L), Map.of(0, 60L, 1, 60L, 2, 70L));

        assertThat(plan.target()).isEqualTo(Map.of(0, 60L, 1, 50L, 2, 70L));
        assertThat(plan.toCommit()).isEqualTo(Map.of(0, 60L));
        assertThat(plan.recordsToReRead()).isEqualTo(40);
        assertThat(plan.recordsNotYetStored()).isEqualTo(0 + 40 + 10);
        assertThat(plan.kept()).as("p2 is already at the target, not kept back from it").containsExactly(1);
        assertThat(plan.describe()).contains("partition 0: 100 -> 60 (40 to re-read, 0 not yet stored)")
                .contains("partition 2: 70 -> 70 (0 to re-read, 10 not yet stored): kept its committed offset, already at the target");
    }

    @Test
    void shouldApplyTheSameRuleToEarliest() {
        // --to-earliest (no time): every committed partition is at or after its earliest offset, so it
        // moves back or stays; one behind a log start moved by retention stays (the consumer's reset takes it there).
        ReplayPlan plan = ReplayPlan.of(Map.of(0, at(100), 1, at(10), 2, at(5)), Map.of(0, 0L, 1, 10L, 2, 10L),
                Map.of(0, 100L, 1, 30L, 2, 30L), null);

        assertThat(plan.target()).isEqualTo(Map.of(0, 0L, 1, 10L, 2, 5L));
        assertThat(plan.toCommit()).isEqualTo(Map.of(0, 0L));
        assertThat(plan.recordsToReRead()).isEqualTo(100);
        assertThat(plan.recordsNotYetStored()).as("p1 20, p2 from its earliest 10: 20").isEqualTo(40);
    }

    @Test
    void shouldKeepTheRecordedRangeOfAKeptPartitionAndDropItWhenThePartitionMovesBack() {
        // p0 and p1 carry a batch recorded in flight (its owner crashed before committing the end).
        ReplayPlan plan = ReplayPlan.of(Map.of(0, inFlight(100, 150), 1, inFlight(40, 60)), Map.of(0, 0L, 1, 0L),
                Map.of(0, 300L, 1, 300L), Map.of(0, 120L, 1, 40L));

        // p0 is kept (time after committed): not written, so its mark stays and the range is re-formed with its token.
        assertThat(plan.step(0).decision()).isEqualTo(ReplayPlan.Decision.KEEP);
        assertThat(plan.step(0).commits()).isFalse();
        assertThat(plan.describe()).contains("the batch recorded in flight at 100..149 is re-formed first, with its own token");
        // p1 at exactly its committed offset: also untouched (a plain commit there would drop the mark
        // and let the range be stored again with other bounds).
        assertThat(plan.step(1).commits()).isFalse();
        assertThat(plan.toCommit()).isEmpty();

        ReplayPlan back = ReplayPlan.of(Map.of(0, inFlight(100, 150)), Map.of(0, 0L), Map.of(0, 300L), Map.of(0, 20L));
        assertThat(back.toCommit()).isEqualTo(Map.of(0, 20L));
        assertThat(back.recordsToReRead()).isEqualTo(80);
        assertThat(back.describe()).contains("partition 0: 100 -> 20 (80 to re-read, 200 not yet stored); "
                + "the batch recorded in flight at 100..149 is re-read with the rest (its mark is dropped)");
    }

    @Test
    void shouldStartAPartitionWithoutACommittedOffsetAtItsEarliestOffset() {
        // p0 never committed, p1 committed past its end (topic recreated): either way the writer would
        // start at the earliest offset; a time's offset would skip records the group never stored.
        Map<Integer, OffsetAndMetadata> committed = new HashMap<>();
        committed.put(1, at(5_000));
        ReplayPlan plan = ReplayPlan.of(committed, Map.of(0, 10L, 1, 0L, 2, 0L), Map.of(0, 50L, 1, 40L, 2, 0L),
                Map.of(0, 30L, 1, 20L, 2, -1L));

        assertThat(plan.target()).isEqualTo(Map.of(0, 10L, 1, 0L, 2, 0L));
        assertThat(plan.toCommit()).as("committed explicitly, whatever the consumer's auto.offset.reset")
                .isEqualTo(Map.of(0, 10L, 1, 0L, 2, 0L));
        assertThat(plan.recordsToReRead()).isZero();
        assertThat(plan.recordsNotYetStored()).isEqualTo(40 + 40);
        assertThat(plan.describe())
                .contains("partition 0: none -> 10 (0 to re-read, 40 not yet stored): no committed offset, so it starts at the "
                        + "earliest offset, where the writer would (auto.offset.reset=earliest); the target 30 would skip records never stored")
                .contains("partition 1: 5000 -> 0 (0 to re-read, 40 not yet stored): the committed offset is past the end 40");
    }

    private static OffsetAndMetadata at(long offset) {
        return new OffsetAndMetadata(offset);
    }

    private static OffsetAndMetadata inFlight(long offset, long end) {
        return new OffsetAndMetadata(offset, RangeMark.metadata(end));
    }
}
