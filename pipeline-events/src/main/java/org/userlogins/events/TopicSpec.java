package org.userlogins.events;

import java.util.List;
import java.util.Map;

/**
 * A topic of the pipeline as it must be created: its name, partitions and the configs the
 * guarantees rest on. The one source for them: the services' tests, the bench and the tools create
 * topics from these, and a test holds {@code stack/kafka.sh} and {@code docker-compose.yml} to them.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    /** Partitions of a topic the stack creates; the processor scales out to this many tasks per sub-topology. */
    public static final int DEFAULT_PARTITIONS = 3;
    /**
     * Replicas of every topic on a Kafka cluster (`./pipeline up --cluster`: three nodes), and the
     * replicas that must hold a record before acks=all acknowledges it: one node may fail without
     * losing an acknowledged record or stopping the producers. A single broker has one of each.
     */
    public static final int CLUSTER_REPLICATION_FACTOR = 3;
    public static final int CLUSTER_MIN_INSYNC_REPLICAS = 2;
    /** 30 days: how long the DLQ keeps a rejected record for an operator to look at or re-drive. */
    public static final long DLQ_RETENTION_MS = 30L * 24 * 60 * 60 * 1000;

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /** Compacted by id: a replay from the earliest offset still rebuilds every row. */
    public static TopicSpec events(String name) {
        return new TopicSpec(name, DEFAULT_PARTITIONS, Map.of("cleanup.policy", "compact"));
    }

    /** Compacted by id, as the events topic. */
    public static TopicSpec clean(String name) {
        return new TopicSpec(name, DEFAULT_PARTITIONS, Map.of("cleanup.policy", "compact"));
    }

    /**
     * Every rejected record, keyed or not, for {@link #DLQ_RETENTION_MS}, taking records of
     * {@link Topics#DLQ_MAX_MESSAGE_BYTES}: a rejected record of the other topics' maximum size comes
     * back with headers on top.
     */
    public static TopicSpec dlq(String name) {
        return new TopicSpec(name, DEFAULT_PARTITIONS, Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(DLQ_RETENTION_MS),
                "max.message.bytes", Integer.toString(Topics.DLQ_MAX_MESSAGE_BYTES)));
    }

    /** The three topics between the services, under the given names. */
    public static List<TopicSpec> pipeline(String events, String clean, String dlq) {
        return List.of(events(events), clean(clean), dlq(dlq));
    }

    public TopicSpec withPartitions(int count) {
        return new TopicSpec(name, count, configs);
    }
}
