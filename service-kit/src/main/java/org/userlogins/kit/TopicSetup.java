package org.userlogins.kit;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.userlogins.events.TopicSpec;

/**
 * Creates topics from their {@link TopicSpec}s (an existing one is left as it is) and returns once
 * every partition is served by its leader ({@link TopicLeaders}): a first burst before that can lose
 * records.
 */
public final class TopicSetup {
    private static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(60);

    private TopicSetup() {
    }

    public static void create(Admin admin, Collection<TopicSpec> specs, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> topics = specs.stream()
                .map(s -> new NewTopic(s.name(), s.partitions(), replicationFactor).configs(s.configs()))
                .toList();
        for (var created : admin.createTopics(topics).values().values()) {
            try {
                created.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        TopicLeaders.await(admin, specs.stream().map(TopicSpec::name).toList(), LEADERS_TIMEOUT);
    }

    /** On the local single broker: replication factor 1. */
    public static void create(Admin admin, Collection<TopicSpec> specs) throws InterruptedException, ExecutionException, TimeoutException {
        create(admin, specs, (short) 1);
    }
}
