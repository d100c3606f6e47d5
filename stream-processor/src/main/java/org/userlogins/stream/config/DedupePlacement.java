package org.userlogins.stream.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.kit.ConfigException;
import org.userlogins.stream.topology.StreamTopology;

/**
 * The start-up check of the one partition count that must never change: the dedupe's
 * (PROCESSOR_DEDUPE_PARTITIONS). The store's changelog holds each id's mark on the partition
 * murmur2(id) modulo that count; with another count, copies of an id would meet another
 * partition's store and pass. Kafka Streams would only find out on its stream thread and die
 * there in a loop, so a mismatch with the existing changelog or repartition topic is refused
 * here, at start, with what to set. The input's partition count is free: add partitions to
 * {@code user_events} at any time.
 */
public final class DedupePlacement {
    private static final Logger LOG = LoggerFactory.getLogger(DedupePlacement.class);
    private static final long TIMEOUT_SECONDS = 30;

    private DedupePlacement() {
    }

    /** Throws {@link ConfigException} on a mismatch; logs and goes on when the broker cannot be asked. */
    public static void check(ProcessorSettings s) {
        Map<String, Object> config = new HashMap<>(s.kafkaClient().properties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            var names = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, Integer> existing = new HashMap<>();
            for (String topic : List.of(StreamTopology.changelogTopic(s.applicationId()), StreamTopology.repartitionTopic(s.applicationId()))) {
                if (names.contains(topic)) {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
                    existing.put(topic, d.partitions().size());
                }
            }
            Optional<String> problem = problem(existing, s.dedupePartitions());
            if (problem.isPresent()) {
                throw new ConfigException(problem.get());
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not check the dedupe's partitions against its existing topics ({}); Kafka Streams checks them again", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What is wrong with {@code configured} given the internal topics that exist (name -> partitions), if anything. */
    static Optional<String> problem(Map<String, Integer> existing, int configured) {
        return existing.entrySet().stream().filter(e -> e.getValue() != configured).findFirst().map(e ->
                "PROCESSOR_DEDUPE_PARTITIONS=" + configured + " but the existing " + e.getKey() + " has " + e.getValue()
                        + " partitions: the dedupe store places each id by its partition count, which cannot change for the life of"
                        + " the application. Set PROCESSOR_DEDUPE_PARTITIONS=" + e.getValue()
                        + " (to scale out, add partitions to the input topic instead: they need no change here).");
    }
}
