package org.userlogins.writer.consume;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Commits the consumer's position while the writer is idle. The clean topic is written in
 * transactions, so each partition ends with a commit marker that occupies an offset but is never
 * delivered: committing "last record + 1" would leave a lag of one per partition forever, and
 * status and replay would report records that do not exist. With no batch in hand every record
 * before the position is stored (or dead-lettered) and committed, so the position is safe.
 */
final class IdlePositionCommit {
    private static final long INTERVAL_MS = 1000;

    private final Consumer<byte[], byte[]> consumer;
    private final LongSupplier clock;
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private long lastAttempt = Long.MIN_VALUE / 2;

    IdlePositionCommit(Consumer<byte[], byte[]> consumer, LongSupplier clock) {
        this.consumer = consumer;
        this.clock = clock;
    }

    /**
     * Call only with no batch in hand and no retry pending. Partitions for which {@code skip} is
     * true keep their committed offset as it is (a recorded range must not be overwritten).
     */
    void maybeCommit(Predicate<TopicPartition> skip) {
        long now = clock.getAsLong();
        if (now - lastAttempt < INTERVAL_MS) {
            return;
        }
        lastAttempt = now;
        Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (skip.test(tp)) {
                continue;
            }
            try {
                long position = consumer.position(tp, Duration.ofMillis(100));
                if (position > committed.getOrDefault(tp, -1L)) {
                    ahead.put(tp, new OffsetAndMetadata(position));
                }
            } catch (TimeoutException e) {
                // No position yet (just assigned): nothing to commit for it.
            }
        }
        if (ahead.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(ahead);
            ahead.forEach((tp, om) -> committed.put(tp, om.offset()));
        } catch (RetriableException | CommitFailedException | RebalanceInProgressException e) {
            // Harmless: the next idle moment tries again. After Kafka was away longer than the
            // session timeout the group has moved on and refuses the commit until the next poll rejoins.
        }
    }

    /** Forget partitions that moved away; their new owner commits for them. */
    void forget(Iterable<TopicPartition> partitions) {
        partitions.forEach(committed::remove);
    }
}
