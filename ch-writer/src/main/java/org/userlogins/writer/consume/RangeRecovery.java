package org.userlogins.writer.consume;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.events.RangeMark;

/**
 * Partitions this writer took over with a batch in flight: their committed offset carries a
 * {@link RangeMark} (the writer before us recorded the range, then crashed or lost the partition
 * before committing its end). Until that range is read again in full, records past its end are
 * held back, so the first batch holds exactly the recorded rows and repeats their tokens.
 */
final class RangeRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RangeRecovery.class);
    /** A range that cannot be read in full (topic truncated or recreated) must not stall the writer. */
    static final long GIVE_UP_AFTER_MS = 60_000;

    private final Map<TopicPartition, Long> starts = new HashMap<>();
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private final LongSupplier clock;
    private long startedAtMs;

    RangeRecovery(LongSupplier clock) {
        this.clock = clock;
    }

    /** Reads the marks of newly assigned partitions from their committed offsets. */
    void begin(Map<TopicPartition, OffsetAndMetadata> committed) {
        committed.forEach((tp, om) -> {
            if (om != null) {
                RangeMark.end(om.metadata()).ifPresent(end -> {
                    if (end > om.offset()) {
                        if (ends.isEmpty()) {
                            startedAtMs = clock.getAsLong();
                        }
                        starts.put(tp, om.offset());
                        ends.put(tp, end);
                        LOG.info("{}: re-forming the batch recorded in flight, offsets {} to {}", tp, om.offset(), end - 1);
                    }
                });
            }
        });
    }

    boolean active() {
        return !ends.isEmpty();
    }

    boolean recovering(TopicPartition tp) {
        return ends.containsKey(tp);
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(ends.keySet());
    }

    long end(TopicPartition tp) {
        return ends.get(tp);
    }

    /** The recorded range's first offset: where reading it again starts. */
    long start(TopicPartition tp) {
        return starts.get(tp);
    }

    /** True for a record past its partition's recorded range: it waits for the batch after. */
    boolean beyondRange(ConsumerRecord<?, ?> record) {
        Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
        return end != null && record.offset() >= end;
    }

    /** The recovering partitions whose range is not read in full yet (position before its end, or unknown). */
    Set<TopicPartition> incomplete(Consumer<?, ?> consumer) {
        Set<TopicPartition> incomplete = new HashSet<>();
        ends.forEach((tp, end) -> {
            if (!readInFull(consumer, tp, end)) {
                incomplete.add(tp);
            }
        });
        return incomplete;
    }

    /** The recovering partitions whose range is read in full: its rows are all in the batch in hand. */
    Set<TopicPartition> complete(Consumer<?, ?> consumer) {
        Set<TopicPartition> complete = new HashSet<>(ends.keySet());
        complete.removeAll(incomplete(consumer));
        return complete;
    }

    private static boolean readInFull(Consumer<?, ?> consumer, TopicPartition tp, long end) {
        try {
            return consumer.position(tp, Duration.ofMillis(100)) >= end;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * The give-up clock runs only while the ranges can be read. While the writer waits out a retry
     * (ClickHouse down) every partition is paused, so no range makes progress; counting that time
     * would give a range up the moment ClickHouse returns, and its rows would be re-read with other
     * boundaries and stored twice.
     */
    void restartClock() {
        if (active()) {
            startedAtMs = clock.getAsLong();
        }
    }

    /** True once the ranges have been given {@link #GIVE_UP_AFTER_MS} of reading and still are not complete. */
    boolean overdue() {
        return active() && clock.getAsLong() - startedAtMs >= GIVE_UP_AFTER_MS;
    }

    /** The ranges are stored and committed, or given up: consumption is back to normal for them. */
    void finished(Collection<TopicPartition> partitions) {
        partitions.forEach(ends::remove);
        partitions.forEach(starts::remove);
    }
}
