package org.userlogins.chaos.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.KafkaProbe;

/**
 * Adds a partition to the events topic while rows flow, as an operator scaling out would
 * (kafka-topics --alter --partitions). Capture's producer starts writing to it and the processor
 * reading it once their metadata is refreshed (30 s); the re-sends of a kill then land on other
 * partitions than their first copies, which the processor's dedupe by id must still catch.
 */
final class EventsTopicGrowth {
    /** Partitions cannot be removed: on a stack that keeps its topics, runs stop growing it here. */
    static final int MAX_PARTITIONS = 8;

    private final OpsSettings settings;
    private final List<TopicPartition> added = new java.util.ArrayList<>();

    EventsTopicGrowth(OpsSettings settings) {
        this.settings = settings;
    }

    String addPartition() throws ExecutionException, InterruptedException, TimeoutException {
        String topic = settings.eventsTopic();
        try (Admin admin = admin()) {
            int before = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            if (before >= MAX_PARTITIONS) {
                return topic + " has " + before + " partitions already; not grown (chaos grows it up to " + MAX_PARTITIONS + ")";
            }
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(before + 1))).all().get(30, TimeUnit.SECONDS);
            added.add(new TopicPartition(topic, before));
            return topic + ": " + before + " -> " + (before + 1) + " partitions";
        }
    }

    /** The records written to each partition this run added (empty when none was added). */
    Map<TopicPartition, Long> recordsOnAddedPartitions() throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, Long> counts = new HashMap<>();
        if (added.isEmpty()) {
            return counts;
        }
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            added.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> counts.put(tp, info.offset()));
        }
        return counts;
    }

    private Admin admin() {
        return Admin.create(KafkaProbe.adminConfig(settings));
    }
}
