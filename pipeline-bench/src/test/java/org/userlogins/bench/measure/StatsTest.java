package org.userlogins.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void shouldTakeTheMiddleSampleOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.max(List.of(4.0, 9.0, 3.0))).isEqualTo(9.0);
    }

    @Test
    void shouldReportZeroWhenThereIsNoSample() {
        assertThat(Stats.median(List.of())).isZero();
        assertThat(Stats.max(List.of())).isZero();
    }
}
