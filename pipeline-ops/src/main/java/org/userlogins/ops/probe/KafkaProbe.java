package org.userlogins.ops.probe;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.userlogins.events.Topics;
import org.userlogins.ops.OpsSettings;

/** Topic sizes and consumer-group lag through the Admin API. */
public final class KafkaProbe implements AutoCloseable {
    private final Admin admin;

    public KafkaProbe(OpsSettings settings) {
        this.admin = Admin.create(adminConfig(settings));
    }

    /** The operator's admin client: bootstrap servers, short timeouts, and TLS/SASL as the services have them. */
    public static Map<String, Object> adminConfig(OpsSettings settings) {
        Map<String, Object> config = new HashMap<>(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        config.putAll(settings.kafkaClientConfig());
        return config;
    }

    /** Records in the topic: sum over partitions of end minus start offsets. */
    public long size(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, Long> end = offsets(topic, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(topic, OffsetSpec.earliest());
        return end.entrySet().stream().mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L)).sum();
    }

    public long endOffsetSum(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        return offsets(topic, OffsetSpec.latest()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records of the topic that the group has not committed yet (all of them if it never committed). */
    public long lag(String group, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, Long> end = offsets(topic, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(topic, OffsetSpec.earliest());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue() - (c == null ? start.getOrDefault(e.getKey(), 0L) : c.offset());
        }
        return lag;
    }

    /**
     * The stream processor's lag: on its input, plus on its repartition by id, where validated events
     * wait for the dedupe (absent until the processor first ran).
     */
    public long processorLag(OpsSettings s) throws ExecutionException, InterruptedException, TimeoutException {
        long lag = lag(s.processorGroup(), s.eventsTopic());
        try {
            return lag + lag(s.processorGroup(), Topics.processorRepartition(s.processorGroup()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return lag;
            }
            throw e;
        }
    }

    /**
     * A topic's configuration value (its default included), or null when the topic does not exist.
     */
    public String topicConfig(String topic, String name) throws InterruptedException, TimeoutException, ExecutionException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            ConfigEntry entry = config == null ? null : config.get(name);
            return entry == null ? "" : entry.value();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The cluster as its metadata describes it: the brokers that answer, the controller quorum's
     * voters and leader, and every partition (internal topics included) whose in-sync replicas are
     * fewer than its replicas, or that has no leader.
     */
    public record ClusterHealth(List<Integer> brokers, List<Integer> voters, int controller, int partitions,
                                int underReplicated, int offline) {
    }

    public ClusterHealth clusterHealth() throws ExecutionException, InterruptedException, TimeoutException {
        List<Integer> brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream().map(n -> n.id()).sorted().toList();
        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
        List<Integer> voters = quorum.voters().stream().map(QuorumInfo.ReplicaState::replicaId).sorted().toList();
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
        int partitions = 0;
        int under = 0;
        int offline = 0;
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                partitions++;
                if (p.isr().size() < p.replicas().size()) {
                    under++;
                }
                if (p.leader() == null || p.leader().isEmpty()) {
                    offline++;
                }
            }
        }
        return new ClusterHealth(brokers, voters, quorum.leaderId(), partitions, under, offline);
    }

    private Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Collection<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)))
                .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        admin.close();
    }
}
