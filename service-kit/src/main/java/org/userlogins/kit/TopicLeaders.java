package org.userlogins.kit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until the leader of every partition of some topics serves it. A topic counts as created
 * once the controller has it, a moment before its leader has applied that. An idempotent producer
 * that sends several requests into that moment can lose the first to NOT_LEADER_OR_FOLLOWER while
 * a later one is accepted; the first is then refused as out of order on every retry until
 * delivery.timeout.ms fails it (KAFKA-15591, seen here on broker 4.3.1: docs/PERFORMANCE.md; none
 * after this wait, TopicLeadersIT). Call it after creating a topic and before
 * producing to it. A ListOffsets answer is the proof: the broker sends it from the partition itself.
 */
public final class TopicLeaders {
    private static final long RETRY_MS = 50;

    private TopicLeaders() {
    }

    /** Returns when every partition of {@code topics} answers at its leader; fails after {@code timeout}. */
    public static void await(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(left, TimeUnit.MILLISECONDS).forEach((topic, description) ->
                        description.partitions().forEach(p -> partitions.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(left, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                // Not yet known or not yet led: both are retriable, and both pass within milliseconds.
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() + RETRY_MS * 1_000_000 > deadline) {
                    throw e;
                }
                Thread.sleep(RETRY_MS);
            }
        }
    }
}
