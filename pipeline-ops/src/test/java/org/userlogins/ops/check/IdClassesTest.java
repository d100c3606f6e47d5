package org.userlogins.ops.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IdClassesTest {
    private static final Rejection OUT_OF_RANGE = new Rejection("event_time_out_of_range", "stream-processor");
    private static final Rejection TOO_LARGE = new Rejection("too_large", "cdc-capture");

    @Test
    void shouldAccountForEveryFlaggedIdAbsentFromClickHouse() {
        // 1-3 stored; 4 rejected by the processor (in the events topic and the DLQ); 5 rejected by capture
        // (DLQ only); 6-7 inserted already flagged (nowhere); 8 published but neither stored nor rejected.
        List<Long> flagged = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        List<Long> stored = List.of(1L, 2L, 3L);
        Set<Long> published = Set.of(1L, 2L, 3L, 4L, 8L);
        Map<Long, Rejection> dlq = Map.of(4L, OUT_OF_RANGE, 5L, TOO_LARGE);

        IdClasses classes = new IdClasses();
        classes.classify(flagged, stored, published::contains, dlq::get);

        assertThat(classes.rejected()).containsExactly(entry(4L, OUT_OF_RANGE), entry(5L, TOO_LARGE));
        assertThat(classes.neverPublished()).containsExactly(6L, 7L);
        assertThat(classes.missing()).containsExactly(8L);
        assertThat(classes.extra()).isEmpty();
    }

    @Test
    void shouldCountARejectedIdThatReachedClickHouseLaterAsStored() {
        // Re-driven from the DLQ and stored: the DLQ record stays, the id is stored.
        IdClasses classes = new IdClasses();
        classes.classify(List.of(1L, 2L), List.of(1L, 2L), id -> true, Map.of(2L, OUT_OF_RANGE)::get);

        assertThat(classes.rejected()).isEmpty();
        assertThat(classes.missing()).isEmpty();
    }

    @Test
    void shouldReportIdsInClickHouseThatPostgresDoesNotFlagAsExtraWhateverTheDlqSays() {
        IdClasses classes = new IdClasses();
        classes.classify(List.of(1L), List.of(1L, 9L, 10L), id -> true, Map.of(9L, OUT_OF_RANGE)::get);

        assertThat(classes.extra()).containsExactly(9L, 10L);
    }

    @Test
    void shouldSummarizeTheClassesWithCountsByReasonAndPassOnlyWithoutMissingOrExtra() {
        TreeMap<Long, Rejection> rejected = new TreeMap<>(Map.of(3289L, OUT_OF_RANGE, 3290L, OUT_OF_RANGE));
        List<Long> neverPublished = java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList();
        Reconciliation ok = new Reconciliation(3_290, 3_088, 3_100, List.of(), List.of(), rejected, neverPublished, List.of());
        Reconciliation lost = new Reconciliation(3_290, 3_087, 3_099, List.of(3000L), List.of(), rejected, neverPublished, List.of());

        assertThat(ok.summary()).isEqualTo("flagged 3,290 = stored 3,088 + rejected 2 (event_time_out_of_range 2) + never published 200 + missing 0");
        assertThat(ok.passed()).isTrue();
        assertThat(ok.describe()).contains("event_time_out_of_range at stream-processor: 2  first: 3289-3290")
                .contains("never published 200  first: 1-200");
        assertThat(lost.passed()).isFalse();
        assertThat(lost.summary()).endsWith("+ missing 1");
        assertThat(lost.describe()).contains("missing         1  first: 3000");
    }
}
