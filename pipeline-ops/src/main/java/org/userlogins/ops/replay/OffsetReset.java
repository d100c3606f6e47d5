package org.userlogins.ops.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Resets a consumer group on one topic with the Admin API: refuses while the group has members
 * (Kafka would reject the change, and a running writer would overwrite it), reads the committed
 * and target offsets, then alters the offsets of the partitions {@link ReplayPlan} moves (never
 * forward past what the group has stored).
 */
public final class OffsetReset {
    private final Admin admin;

    public OffsetReset(Admin admin) {
        this.admin = admin;
    }

    public ReplayPlan reset(String group, String topic, ReplayTarget target) throws ExecutionException, InterruptedException {
        requireNoMembers(group);
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<Integer, Long> earliest = offsets(partitions, tp -> OffsetSpec.earliest());
        Map<Integer, Long> latest = offsets(partitions, tp -> OffsetSpec.latest());
        // -1 for a partition with no record at or after the time.
        Map<Integer, Long> atTime = target.at() == null ? null
                : offsets(partitions, tp -> OffsetSpec.forTimestamp(target.at().toEpochMilli()));
        Map<Integer, OffsetAndMetadata> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, om) -> {
            if (tp.topic().equals(topic) && om != null) {
                committed.put(tp.partition(), om);
            }
        });
        ReplayPlan plan = ReplayPlan.of(committed, earliest, latest, atTime);
        Map<Integer, Long> toCommit = plan.toCommit();
        if (!target.dryRun() && !toCommit.isEmpty()) {
            // Only the partitions that move: a kept partition keeps its offset and its metadata (a
            // batch recorded in flight). A moved one gets a plain offset: its old range mark is dropped.
            Map<TopicPartition, OffsetAndMetadata> alter = toCommit.entrySet().stream().collect(Collectors.toMap(
                    e -> new TopicPartition(topic, e.getKey()), e -> new OffsetAndMetadata(e.getValue())));
            admin.alterConsumerGroupOffsets(group, alter).all().get();
        }
        return plan;
    }

    private void requireNoMembers(String group) throws ExecutionException, InterruptedException {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            if (!description.members().isEmpty()) {
                throw new IllegalStateException("group " + group + " has " + description.members().size()
                        + " active member(s) (" + description.members().iterator().next().host()
                        + "); stop the writer first (./pipeline replay does this), then run the reset again");
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }
    }

    private Map<Integer, Long> offsets(List<TopicPartition> partitions, Function<TopicPartition, OffsetSpec> spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(Function.identity(), spec))).all().get();
        Map<Integer, Long> out = new HashMap<>();
        result.forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return out;
    }
}
