package org.userlogins.chaos.run;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.KafkaProbe;

/**
 * Which node of the local Kafka cluster a broker fault hits, read from the cluster's metadata at
 * the moment of the fault (leadership moves after every kill): the node leading most partitions
 * of the topics in use, or the quorum's leader. The stack names node N {@code kafka-N}.
 */
final class KafkaNodes {
    /** A node to kill and why it was chosen (for the report). */
    record Choice(int nodeId, String why) {
    }

    private final OpsSettings settings;

    KafkaNodes(OpsSettings settings) {
        this.settings = settings;
    }

    Choice leaderOfMost(List<String> topics) throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(KafkaProbe.adminConfig(settings))) {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<Integer, Integer> led = new TreeMap<>();
            int partitions = 0;
            for (TopicDescription d : described.values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    partitions++;
                    if (p.leader() != null) {
                        led.merge(p.leader().id(), 1, Integer::sum);
                    }
                }
            }
            // Ties go to the lowest id: the same metadata gives the same node.
            Map.Entry<Integer, Integer> most = led.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow(
                            () -> new ExecutionException("no partition of " + topics + " has a leader", null));
            return new Choice(most.getKey(), "leader of " + most.getValue() + " of " + partitions + " partitions of "
                    + String.join(", ", topics) + " (leaders per node " + led + ")");
        }
    }

    Choice activeController() throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(KafkaProbe.adminConfig(settings))) {
            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
            return new Choice(quorum.leaderId(), "active controller (leader of the metadata quorum, epoch " + quorum.leaderEpoch()
                    + ", voters " + quorum.voters().stream().map(QuorumInfo.ReplicaState::replicaId).sorted().toList() + ")");
        }
    }
}
