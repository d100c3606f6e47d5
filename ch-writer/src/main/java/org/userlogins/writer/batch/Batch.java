package org.userlogins.writer.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The rows in hand and the offsets they cover. Records that went to the DLQ instead of the table
 * are {@link #skip skipped}: they add no row but their offset is committed with the batch.
 * Not thread-safe: only the consumer's thread touches it.
 */
public final class Batch {
    private final List<Row> rows = new ArrayList<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private long startedAtMs = -1;

    public void add(Row row, long nowMs) {
        rows.add(row);
        advance(row.source(), nowMs);
    }

    /** A record consumed without a row (sent to the DLQ): its offset is still committed. */
    public void skip(ConsumerRecord<?, ?> record, long nowMs) {
        advance(record, nowMs);
    }

    private void advance(ConsumerRecord<?, ?> record, long nowMs) {
        nextOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        if (startedAtMs < 0) {
            startedAtMs = nowMs;
        }
    }

    public List<Row> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** True when there is something to insert or to commit. */
    public boolean hasWork() {
        return !nextOffsets.isEmpty();
    }

    /** When the first record entered the batch (epoch ms), -1 when empty. */
    public long startedAtMs() {
        return startedAtMs;
    }

    /** The exact next offset to read per partition: commit these after the rows are stored. */
    public Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        return offsets;
    }

    /** Forgets the rows and offsets of partitions this consumer lost; another one re-reads them. */
    public int drop(Collection<TopicPartition> partitions) {
        int before = rows.size();
        rows.removeIf(r -> partitions.contains(new TopicPartition(r.source().topic(), r.partition())));
        partitions.forEach(nextOffsets::remove);
        if (nextOffsets.isEmpty()) {
            startedAtMs = -1;
        }
        return before - rows.size();
    }

    public boolean covers(Collection<TopicPartition> partitions) {
        return partitions.stream().anyMatch(nextOffsets::containsKey);
    }

    public String describeOffsets() {
        return DedupToken.ranges(rows);
    }
}
