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
    void shouldTellALoopOfDeathsWhichARestartMayHelpFromWaitingForKafka() {
        ThreadDeaths deaths = new ThreadDeaths();
        long t = 1_000_000;
        for (int i = 0; i < 5; i++) { // commits timing out while the brokers are away, one a minute
            deaths.died(t + i * 60_000L, new org.apache.kafka.streams.errors.StreamsException("commit failed",
                    new org.apache.kafka.common.errors.TimeoutException("Timeout of 60000ms expired before successfully committing offsets")));
        }
        long now = t + 4 * 60_000L + 1_000;
        var waiting = StreamsHealth.of(State.RUNNING, deaths.loop(now), deaths.waitingForKafka(now));
        assertThat(waiting.status()).isEqualTo("WAITING_FOR_KAFKA");
        assertThat(waiting.up()).as("not ready").isFalse();
        assertThat(waiting.live()).as("alive: nothing a restart would fix").isTrue();
        assertThat(deaths.waitingForKafka(now + ThreadDeaths.KAFKA_WAIT_SHOWN.toMillis())).as("Kafka back, no death since").isNull();

        for (int i = 0; i < 3; i++) {
            deaths.died(now + i, new IllegalStateException("internal topic has invalid partitions"));
        }
        var broken = StreamsHealth.of(State.RUNNING, deaths.loop(now + 3), deaths.waitingForKafka(now + 3));
        assertThat(broken.status()).isEqualTo("FAILING");
        assertThat(broken.live()).isFalse();

        assertThat(StreamsHealth.of(State.ERROR).live()).isFalse();
        assertThat(StreamsHealth.of(State.REBALANCING).live()).isTrue();
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
