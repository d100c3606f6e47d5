package org.userlogins.ops.check;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordIdsTest {
    @Test
    void shouldReadTheIdFromADecimalKeyAndNothingFromAnyOtherKey() {
        assertThat(RecordIds.fromKey("42".getBytes(UTF_8))).isEqualTo(42);
        assertThat(RecordIds.fromKey("0".getBytes(UTF_8))).isZero();
        assertThat(RecordIds.fromKey(null)).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.fromKey(new byte[0])).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.fromKey("-1".getBytes(UTF_8))).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.fromKey("4 2".getBytes(UTF_8))).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.fromKey("99999999999999999999".getBytes(UTF_8))).isEqualTo(RecordIds.NONE);
    }

    @Test
    void shouldFallBackToTheJsonValuesTopLevelIdForADeadLetterWithoutAnIdKey() {
        assertThat(RecordIds.ofDeadLetter("7".getBytes(UTF_8), "{\"id\":8}".getBytes(UTF_8))).as("the key wins").isEqualTo(7);
        assertThat(RecordIds.ofDeadLetter(null, "{\"nested\":{\"id\":1},\"id\":9,\"bytes\":2000000}".getBytes(UTF_8))).isEqualTo(9);
        assertThat(RecordIds.ofDeadLetter("garbage".getBytes(UTF_8), "{\"id\":\"10\"}".getBytes(UTF_8))).isEqualTo(10);
        assertThat(RecordIds.ofDeadLetter(null, "{\"id\":-3}".getBytes(UTF_8))).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.ofDeadLetter(null, "{\"id\":1.5}".getBytes(UTF_8))).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.ofDeadLetter(null, "not json".getBytes(UTF_8))).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.ofDeadLetter(null, "{\"id\":".getBytes(UTF_8))).isEqualTo(RecordIds.NONE);
        assertThat(RecordIds.ofDeadLetter(null, null)).isEqualTo(RecordIds.NONE);
    }

    @Test
    void shouldKeepOnlyIdsOfTheBucketsAsked() {
        BucketIds ids = new BucketIds(java.util.Set.of(0L, 3L), 100_000);

        assertThat(ids.add(5)).isTrue();
        assertThat(ids.add(150_000)).as("bucket 1 is not compared").isFalse();
        assertThat(ids.add(399_999)).isTrue();
        assertThat(ids.add(RecordIds.NONE)).isFalse();
        assertThat(ids.contains(5)).isTrue();
        assertThat(ids.contains(6)).isFalse();
        assertThat(ids.contains(150_000)).isFalse();
        assertThat(ids.contains(399_999)).isTrue();
    }
}
