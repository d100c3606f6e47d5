package org.userlogins.writer.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.userlogins.events.RangeMark;

/**
 * The rows in hand and the offsets they cover. Records that went to the DLQ instead of the table
 * are {@link #skip skipped}: they add no row but their offset is committed with the batch.
 * Not thread-safe: only the consumer's thread touches it.
 */
public final class Batch {
    private final List<Row> rows = new ArrayList<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private DeliveryStage stage = DeliveryStage.FORMING;
    private long startedAtMs = -1;
    private long lastRecordAtMs = -1;
    private final long quietFlushNotBeforeMs;
    private boolean reformed;

    public Batch() {
        this(0);
    }

    /** @param quietFlushNotBeforeMs before this time (epoch ms) only the size and age rules may flush it ({@link FlushPolicy}) */
    public Batch(long quietFlushNotBeforeMs) {
        this.quietFlushNotBeforeMs = quietFlushNotBeforeMs;
    }
    private long bytes;

    /** It holds rows of a range a previous owner recorded: that owner may have inserted them, or tried to. */
    public void markReformed() {
        reformed = true;
    }

    public boolean reformed() {
        return reformed;
    }

    public void add(Row row, long nowMs) {
        rows.add(row);
        bytes += sizeOf(row);
        advance(row.source(), nowMs);
    }

    private static long sizeOf(Row row) {
        byte[] value = row.source().value();
        return value == null ? 0 : value.length;
    }

    /** A record consumed without a row (sent to the DLQ): its offset is still committed. */
    public void skip(ConsumerRecord<?, ?> record, long nowMs) {
        advance(record, nowMs);
    }

    private void advance(ConsumerRecord<?, ?> record, long nowMs) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        nextOffsets.merge(tp, record.offset() + 1, Math::max);
        firstOffsets.merge(tp, record.offset(), Math::min);
        if (startedAtMs < 0) {
            startedAtMs = nowMs;
        }
        lastRecordAtMs = nowMs;
    }

    public List<Row> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** The Kafka value bytes of the rows in hand: what bounds the batch's memory, whatever the row count. */
    public long bytes() {
        return bytes;
    }

    /** True when there is something to insert or to commit. */
    public boolean hasWork() {
        return !nextOffsets.isEmpty();
    }

    /** When the first record entered the batch (epoch ms), -1 when empty. */
    public long startedAtMs() {
        return startedAtMs;
    }

    /** When the latest record entered the batch (epoch ms), -1 when empty. */
    public long lastRecordAtMs() {
        return lastRecordAtMs;
    }

    /** Before this time only the size and age rules may flush the batch; 0 for no such bound. */
    public long quietFlushNotBeforeMs() {
        return quietFlushNotBeforeMs;
    }

    /** The exact next offset to read per partition: commit these after the rows are stored. */
    public Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        return offsets;
    }

    /**
     * Per partition, the committed offset that records this batch's range before the insert: the
     * offset of its first record, with the end in the metadata ({@link RangeMark}).
     */
    public Map<TopicPartition, OffsetAndMetadata> rangeMarks() {
        Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
        nextOffsets.forEach((tp, next) -> marks.put(tp, new OffsetAndMetadata(firstOffsets.get(tp), RangeMark.metadata(next))));
        return marks;
    }

    /** The rows per partition, in partition order: each partition is inserted with its own token. */
    public Map<Integer, List<Row>> rowsByPartition() {
        Map<Integer, List<Row>> byPartition = new TreeMap<>();
        rows.forEach(r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
        return byPartition;
    }

    public Set<TopicPartition> partitions() {
        return nextOffsets.keySet();
    }

    public DeliveryStage stage() {
        return stage;
    }

    /** Moves to the next stage only: a stage is never skipped back or repeated. */
    public void advanceTo(DeliveryStage next) {
        if (next.ordinal() <= stage.ordinal()) {
            throw new IllegalStateException("batch cannot go from " + stage + " to " + next);
        }
        stage = next;
    }

    /** Forgets the rows and offsets of partitions this consumer lost; another one re-reads them. */
    public int drop(Collection<TopicPartition> partitions) {
        int before = rows.size();
        rows.removeIf(r -> partitions.contains(new TopicPartition(r.source().topic(), r.partition())));
        bytes = rows.stream().mapToLong(Batch::sizeOf).sum();
        partitions.forEach(nextOffsets::remove);
        partitions.forEach(firstOffsets::remove);
        if (nextOffsets.isEmpty()) {
            startedAtMs = -1;
            lastRecordAtMs = -1;
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
