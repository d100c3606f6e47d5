package org.userlogins.stream.ops;

import org.apache.kafka.streams.KafkaStreams;
import org.userlogins.kit.OpsServer.Health;

/**
 * Maps Kafka Streams' state to /health: up while it processes or rebalances, down otherwise, and
 * down while its stream thread dies in a loop (see {@link ThreadDeaths}).
 */
public final class StreamsHealth {
    private StreamsHealth() {
    }

    public static Health of(KafkaStreams.State state) {
        return of(state, null);
    }

    /** {@code threadLoop}: why the thread keeps dying, or null. */
    public static Health of(KafkaStreams.State state, String threadLoop) {
        if (threadLoop != null && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING)) {
            return Health.down("FAILING", threadLoop);
        }
        return switch (state) {
            case RUNNING, REBALANCING -> Health.up(state.name());
            default -> Health.down(state.name(), "Kafka Streams is " + state.name() + ", not processing");
        };
    }
}
