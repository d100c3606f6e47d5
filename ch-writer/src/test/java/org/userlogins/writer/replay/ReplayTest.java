package org.userlogins.writer.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void shouldCountTheRecordsToReReadPerPartition() {
        ReplayPlan plan = ReplayPlan.of(Map.of(0, 100L, 1, 50L), Map.of(0, 0L, 1, 0L, 2, 10L), Map.of(0, 0L, 1, 60L, 2, 10L));

        // p0: 100 re-read; p1: target after committed -> 0; p2: never committed, starts at earliest anyway -> 0
        assertThat(plan.recordsToReRead()).isEqualTo(100);
        assertThat(plan.describe()).contains("partition 0: 100 -> 0 (100 to re-read)");
    }
}
