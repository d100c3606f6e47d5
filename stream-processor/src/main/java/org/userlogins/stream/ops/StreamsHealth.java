package org.userlogins.stream.ops;

import org.apache.kafka.streams.KafkaStreams;
import org.userlogins.kit.OpsServer.Health;

/** Maps Kafka Streams' state to /health: up while it processes or rebalances, down otherwise. */
public final class StreamsHealth {
    private StreamsHealth() {
    }

    public static Health of(KafkaStreams.State state) {
        return switch (state) {
            case RUNNING, REBALANCING -> Health.up(state.name());
            default -> Health.down(state.name(), "Kafka Streams is " + state.name() + ", not processing");
        };
    }
}
