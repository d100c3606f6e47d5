package org.userlogins.ops.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdDiffTest {

    @Test
    void shouldFindIdsMissingFromTheSecondList() {
        assertThat(IdDiff.minus(List.of(1L, 2L, 3L, 5L, 8L), List.of(2L, 3L, 4L, 8L))).containsExactly(1L, 5L);
        assertThat(IdDiff.minus(List.of(1L, 2L), List.of())).containsExactly(1L, 2L);
        assertThat(IdDiff.minus(List.of(), List.of(1L))).isEmpty();
    }

    @Test
    void shouldCompressConsecutiveIdsIntoRangesUpToALimit() {
        assertThat(IdDiff.ranges(List.of(1L, 2L, 3L, 7L, 9L, 10L), 10)).containsExactly("1-3", "7", "9-10");
        assertThat(IdDiff.ranges(List.of(1L, 3L, 5L), 2)).containsExactly("1", "3");
    }
}
