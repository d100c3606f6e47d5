package org.userlogins.stream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason;

class OpsTest {

    @Test
    void shouldReportUpOnlyWhileRunningOrRebalancing() {
        assertThat(StreamsHealth.of(State.RUNNING).up()).isTrue();
        assertThat(StreamsHealth.of(State.REBALANCING).up()).isTrue();
        for (State state : new State[] {State.CREATED, State.PENDING_SHUTDOWN, State.NOT_RUNNING, State.PENDING_ERROR, State.ERROR}) {
            assertThat(StreamsHealth.of(state).up()).as(state.name()).isFalse();
            assertThat(StreamsHealth.of(state).status()).isEqualTo(state.name());
        }
    }

    @Test
    void shouldReportDownWhileTheStreamThreadDiesInALoopThoughStreamsSaysRunning() {
        ThreadDeaths deaths = new ThreadDeaths();
        long t = 1_000_000;
        deaths.died(t, new IllegalStateException("first"));
        deaths.died(t + 10_000, new IllegalStateException("second"));
        assertThat(StreamsHealth.of(State.RUNNING, deaths.loop(t + 10_000)).up()).as("two deaths: replaced, still healthy").isTrue();

        deaths.died(t + 20_000, new IllegalStateException("internal topic has invalid partitions"));
        var health = StreamsHealth.of(State.RUNNING, deaths.loop(t + 20_000));
        assertThat(health.up()).isFalse();
        assertThat(health.status()).isEqualTo("FAILING");
        assertThat(health.detail()).contains("died 3 times", "invalid partitions");

        assertThat(deaths.loop(t + ThreadDeaths.WINDOW.toMillis() + 1)).as("the first death left the window").isNull();
    }

    @Test
    void shouldCountAcceptedRejectedByReasonAndDuplicates() {
        var registry = new SimpleMeterRegistry();
        var metrics = new ProcessorMetrics(registry);
        metrics.accepted();
        metrics.accepted();
        metrics.rejected(DlqReason.NOT_JSON);
        metrics.duplicate();
        metrics.threadReplaced();

        assertThat(registry.get("stream.processor.records.accepted").counter().count()).isEqualTo(2);
        assertThat(registry.get("stream.processor.records.rejected").tag("reason", "not_json").counter().count()).isEqualTo(1);
        assertThat(registry.get("stream.processor.records.rejected").tag("reason", "too_large").counter().count()).isZero();
        assertThat(registry.get("stream.processor.dedupe.hits").counter().count()).isEqualTo(1);
        assertThat(registry.get("stream.processor.thread.replacements").counter().count()).isEqualTo(1);
    }
}
