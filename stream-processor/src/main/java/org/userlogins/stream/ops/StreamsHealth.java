package org.userlogins.stream.ops;

import org.apache.kafka.streams.KafkaStreams;
import org.userlogins.kit.OpsServer.Health;

/**
 * Maps Kafka Streams' state to /health and /live: up while it processes or rebalances; down but
 * alive while it waits for Kafka (a thread replaced after a timeout) or is not running; broken
 * (not live) in ERROR or while its stream thread dies in a loop (see {@link ThreadDeaths}).
 */
public final class StreamsHealth {
    private StreamsHealth() {
    }

    public static Health of(KafkaStreams.State state) {
        return of(state, null);
    }

    /** {@code threadLoop}: why the thread keeps dying, or null. */
    public static Health of(KafkaStreams.State state, String threadLoop) {
        return of(state, threadLoop, null);
    }

    /** {@code waitingForKafka}: why a thread was replaced for want of Kafka a moment ago, or null. */
    public static Health of(KafkaStreams.State state, String threadLoop, String waitingForKafka) {
        boolean running = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        if (threadLoop != null && running) {
            return Health.broken("FAILING", threadLoop);
        }
        if (waitingForKafka != null && running) {
            return Health.down("WAITING_FOR_KAFKA", waitingForKafka);
        }
        return switch (state) {
            case RUNNING, REBALANCING -> Health.up(state.name());
            case ERROR, PENDING_ERROR -> Health.broken(state.name(), "Kafka Streams is " + state.name() + ", not processing");
            default -> Health.down(state.name(), "Kafka Streams is " + state.name() + ", not processing");
        };
    }
}
