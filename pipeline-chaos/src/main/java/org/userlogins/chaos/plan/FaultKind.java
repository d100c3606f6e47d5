package org.userlogins.chaos.plan;

/** What one fault does. Outages of ClickHouse and Kafka must not make any service exit. */
public enum FaultKind {
    /** kill -9 of one or two services; their supervisors start them again (stack/supervise.sh). */
    KILL("kill -9"),
    /** ClickHouse stopped for the hold, then started. */
    CLICKHOUSE_OUTAGE("ClickHouse stopped"),
    /** The Kafka broker stopped (SIGTERM) and started again after the hold. */
    KAFKA_RESTART("Kafka restarted"),
    /** PostgreSQL fast shutdown (pg_ctl -m fast), started again after the hold. */
    POSTGRES_RESTART("PostgreSQL restarted"),
    /** Malformed and hostile records written straight to the events topic. */
    HOSTILE_BURST("hostile burst"),
    /** ALTER TABLE of event_time between timestamp and timestamptz(3) under load, changed back after the hold. */
    SCHEMA_CHANGE("event_time type changed"),
    /** sent_to_kafka set back to FALSE on rows already sent: each is sent again. */
    FLAG_RESET("flags set back to FALSE"),
    /** A second ch-writer joins the group and is killed (-9) after the hold: rebalances mid-range. */
    SECOND_WRITER("second ch-writer, then kill -9"),
    /** ./pipeline replay to a time after every record: it must keep each partition's committed offset, never skip. */
    REPLAY_AHEAD("replay to a time ahead"),
    /** A just-inserted row kept locked by another transaction for the hold: capture waits, never dies or skips. */
    ROW_LOCK("row locked by another transaction"),
    /** A partition added to the events topic while rows flow: capture writes to it, the processor reads it (30 s metadata age). */
    PARTITIONS_ADDED("partition added to the events topic"),
    /** Two ./pipeline redrive runs started together: the DLQ's records go back once each, never twice. */
    REDRIVE_TWICE("two re-drive runs at once"),
    /** Kafka cluster only: kill -9 of the node leading most partitions of the events and clean topics, started again after the hold. */
    LEADER_BROKER_KILL("kill -9 of the partitions' leader broker"),
    /** Kafka cluster only: kill -9 of the node that is the active controller (the quorum's leader), started again after the hold. */
    CONTROLLER_KILL("kill -9 of the active controller");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** An outage during which a service that exits by itself is a failure of the run. */
    public boolean mustBeSurvived() {
        return this == CLICKHOUSE_OUTAGE || this == KAFKA_RESTART || this == LEADER_BROKER_KILL || this == CONTROLLER_KILL;
    }
}
