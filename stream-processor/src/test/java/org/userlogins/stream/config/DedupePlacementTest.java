package org.userlogins.stream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dedupe's partition count is refused at start when it differs from its existing internal topics'. */
class DedupePlacementTest {

    @Test
    void shouldAcceptAFirstStartOrTheSameCount() {
        assertThat(DedupePlacement.problem(Map.of(), 3)).isEmpty();
        assertThat(DedupePlacement.problem(Map.of("app-dedupe-first-seen-changelog", 3, "app-dedupe-by-id-repartition", 3), 3)).isEmpty();
    }

    @Test
    void shouldRefuseAnotherCountThanTheExistingChangelogsSayingWhatToSet() {
        assertThat(DedupePlacement.problem(Map.of("app-dedupe-first-seen-changelog", 3), 6)).hasValueSatisfying(message ->
                assertThat(message).contains("PROCESSOR_DEDUPE_PARTITIONS=6", "app-dedupe-first-seen-changelog has 3 partitions",
                        "Set PROCESSOR_DEDUPE_PARTITIONS=3", "add partitions to the input topic"));
    }
}
