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
 *
 * <p>Right after creation a broker may still answer "unknown topic", so that answer is retried like
 * "not the leader". A topic that never comes therefore ends the wait the same way as a slow one: a
 * {@link TimeoutException} naming the topics, with the broker's last answer as its cause when
 * there was one. That is one answer whatever the machine's speed; only a refusal that retrying
 * cannot change (an invalid name, no authorization) ends it sooner, as an {@link ExecutionException}.
 */
public final class TopicLeaders {
    private static final long RETRY_MS = 50;
    /** One attempt's bound, so that a request lost to a broker's restart is asked again within the budget. */
    private static final long ATTEMPT_MS = 10_000;

    private TopicLeaders() {
    }

    /** Returns when every partition of {@code topics} answers at its leader; throws TimeoutException after {@code timeout}. */
    public static void await(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable lastAnswer = null;
        while (true) {
            long attemptMs = Math.min(ATTEMPT_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(attemptMs, TimeUnit.MILLISECONDS).forEach((topic, description) ->
                        description.partitions().forEach(p -> partitions.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(attemptMs, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                lastAnswer = e.getCause(); // not yet known or not yet led: both pass within milliseconds of a creation
            } catch (TimeoutException e) {
                // no answer within the attempt: asked again until the deadline
            }
            if (System.nanoTime() + RETRY_MS * 1_000_000 > deadline) {
                TimeoutException timedOut = new TimeoutException("the partitions of " + topics + " were not served by their leaders within "
                        + timeout.toSeconds() + " s" + (lastAnswer == null ? " (no answer from Kafka)" : "; Kafka's last answer: " + lastAnswer.getMessage()));
                timedOut.initCause(lastAnswer);
                throw timedOut;
            }
            Thread.sleep(RETRY_MS);
        }
    }
}
