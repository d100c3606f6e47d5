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

    /**
     * The episode's length beyond gap and hold (restart and recovery), to fill the run with optional
     * faults; from 10-minute runs here, with a margin: a kill took 7–17 s after its hold, a Kafka
     * restart 12 s, a PostgreSQL restart 8 s, ClickHouse 4 s. (Estimates twice as long left the
     * last 4 minutes of a 10-minute run without faults.) The run skips optional faults that would
     * start after its end.
     */
    int estimatedSeconds() {
        int recovery = switch (kind) {
            case KILL -> 12;
            case CLICKHOUSE_OUTAGE -> 10;
            case KAFKA_RESTART -> 20;
            case POSTGRES_RESTART -> 15;
            case HOSTILE_BURST, FLAG_RESET -> 5;
            case SCHEMA_CHANGE -> 8;
            case SECOND_WRITER -> 15;
            case REPLAY_AHEAD -> 15;
            case ROW_LOCK -> 10;
            case PARTITIONS_ADDED -> 5;
            case REDRIVE_TWICE -> 15;
            case LEADER_BROKER_KILL, CONTROLLER_KILL -> 25;
        };
        return gapSeconds + holdSeconds + recovery;
    }
}
