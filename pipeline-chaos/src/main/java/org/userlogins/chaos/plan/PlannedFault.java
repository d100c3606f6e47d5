package org.userlogins.chaos.plan;

import java.util.List;

/**
 * One fault of the schedule.
 *
 * @param gapSeconds quiet time before it (the load keeps running)
 * @param services the services killed (KILL only)
 * @param holdSeconds how long the fault lasts before the heal (restart) begins
 * @param required whether it runs even when the run's duration is already over
 */
public record PlannedFault(FaultKind kind, List<String> services, int gapSeconds, int holdSeconds, boolean required) {
    public PlannedFault {
        services = List.copyOf(services);
    }

    public String describe() {
        return kind.label() + (services.isEmpty() ? "" : " " + String.join(" + ", services))
                + (holdSeconds > 0 ? ", " + holdSeconds + " s" : "");
    }

    /** A rough length of the episode, to fill the run with optional faults. */
    int estimatedSeconds() {
        int recovery = switch (kind) {
            case KILL -> 20;
            case CLICKHOUSE_OUTAGE -> 30;
            case KAFKA_RESTART -> 60;
            case POSTGRES_RESTART -> 30;
            case HOSTILE_BURST -> 10;
        };
        return gapSeconds + holdSeconds + recovery;
    }
}
