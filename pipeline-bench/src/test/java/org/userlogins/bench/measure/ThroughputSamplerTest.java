package org.userlogins.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.userlogins.bench.report.BenchReport.Series;

class ThroughputSamplerTest {
    /** Long enough that the timer never samples during a test: the test samples by hand. */
    private static final Duration NEVER = Duration.ofHours(1);

    @Test
    void shouldCountOnlyWhatFollowsTheBaselineAndCatchUpAfterAnUnreadableCount() throws Exception {
        AtomicLong inserted = new AtomicLong(1_000);
        AtomicLong published = new AtomicLong(5_000);
        AtomicBoolean scrapeFails = new AtomicBoolean();
        Map<String, CountWait.Count> stages = new LinkedHashMap<>();
        stages.put("inserted", inserted::get);
        stages.put("published", () -> {
            if (scrapeFails.get()) {
                throw new IOException("no answer");
            }
            return published.get();
        });

        try (ThroughputSampler sampler = new ThroughputSampler(stages, NEVER)) {
            inserted.addAndGet(100);
            published.addAndGet(100);
            scrapeFails.set(true);
            sampler.sample();
            scrapeFails.set(false);
            sampler.sample();
            sampler.sample();
            List<Series> series = sampler.series();

            assertThat(series).extracting(Series::name).containsExactly("inserted", "published");
            assertThat(series.get(0).intervalSeconds()).isEqualTo(3_600);
            assertThat(series.get(0).values()).hasSize(3).element(0).isNotEqualTo(0L);
            assertThat(series.get(0).values().subList(1, 3)).containsOnly(0L);
            assertThat(series.get(1).values()).hasSize(3).startsWith(0L).element(1).isNotEqualTo(0L);
        }
    }

    @Test
    void shouldFailWhenACountCannotBeReadAtTheStart() {
        Map<String, CountWait.Count> stages = Map.of("published", () -> {
            throw new IOException("no answer");
        });

        assertThatThrownBy(() -> new ThroughputSampler(stages, NEVER)).hasMessage("no answer");
    }
}
