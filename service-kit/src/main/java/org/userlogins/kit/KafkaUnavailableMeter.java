package org.userlogins.kit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One counter, the same in every service, for "Kafka did not answer in time and I am waiting for
 * it" ({@code pipeline_kafka_unavailable_total}): the KafkaUnavailable alert reads it, and a
 * service never exits for it (docs/OPERATIONS.md, "When Kafka is away").
 */
public final class KafkaUnavailableMeter {
    public static final String NAME = "pipeline.kafka.unavailable";

    private KafkaUnavailableMeter() {
    }

    /** Registered at 0, so that the alert's series exists before the first wait. */
    public static Counter register(MeterRegistry registry) {
        return Counter.builder(NAME).description("times the service waited for Kafka (a call timed out or found no broker); "
                + "it tries again, however long Kafka is away").register(registry);
    }
}
