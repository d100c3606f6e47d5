package org.userlogins.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userlogins.writer.testing.Records.row;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason;
import org.userlogins.writer.batch.Batch;
import org.userlogins.writer.batch.DeliveryStage;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.testing.InMemoryRowSink;
import org.userlogins.writer.testing.Records;

/**
 * Issue 15, item 7: a batch ClickHouse rejects for the content of some rows is sorted out in a
 * bounded number of inserts per partition range, the same inserts with the same tokens whoever
 * does it, so that a next owner repeating it after a crash finds every stored token still inside
 * {@code non_replicated_deduplication_window} (10,000) and the work stays far inside
 * {@code max.poll.interval.ms}. Every row ends stored once or in the DLQ once.
 */
class BoundedSplitTest {
    /** What the table's {@code non_replicated_deduplication_window} keeps. */
    private static final int WINDOW = 10_000;
    /** The bound per partition range. */
    private static final int BOUND = RejectedRowSearch.MAX_INSERTS_PER_RANGE;

    private final InMemoryRowSink sink = new InMemoryRowSink();
    private final List<String> deadLettered = new ArrayList<>();

    BoundedSplitTest() {
        sink.dedupWindow(WINDOW);
    }

    /** The issue's case: ~1,000 bad rows in a batch of 50,000 over 3 partitions, refused by a CHECK constraint. */
    @Test
    void shouldStoreEveryGoodRowOnceAndSendEveryBadOneToTheDlqOnceWithinTheBound() throws Exception {
        List<Row> rows = rows(50_000, 3);
        Set<Long> bad = pick(rows, 1_000, 7);
        sink.rejectRowsWhere(r -> bad.contains(r.event().id()));

        long started = System.nanoTime();
        flusher().flush(batch(rows));
        long ms = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("[BoundedSplitTest] 50,000 rows, 1,000 bad, 3 partitions: %d inserts, %d stored parts, %d ms%n",
                sink.attemptedTokens.size(), sink.storedParts.size(), ms);
        assertThat(sink.attemptedTokens.size()).as("inserts for 3 partition ranges").isLessThanOrEqualTo(3 * BOUND);
        assertThat(sink.storedParts.size()).as("parts stored: one per partition, its rows less the rejected").isEqualTo(3);
        assertThat(new TreeSet<>(sink.storedIds()).equals(ids(rows, id -> !bad.contains(id)))).as("the good rows stored").isTrue();
        assertThat(duplicates(sink.storedIds())).as("good rows stored more than once").isZero();
        assertThat(deadLettered.size()).as("rows sent to the DLQ").isEqualTo(bad.size());
        assertThat(new TreeSet<>(deadLettered)).as("each bad row, once").isEqualTo(new TreeSet<>(letters(rows, bad, "clickhouse_rejected")));
    }

    /**
     * More bad rows than the bound can single out (3,000 in one partition's 50,000): the inserts
     * stay bounded, and a next owner that re-forms the recorded range after a crash repeats the
     * same inserts with the same tokens, every one still inside the window, so nothing is stored
     * twice; the rows not sorted out go to the DLQ with their part, none lost.
     */
    @Test
    void shouldRepeatTheSameTokensInsideTheWindowWhenTheNextOwnerReFormsTheRange() throws Exception {
        List<Row> rows = rows(50_000, 1);
        Set<Long> bad = pick(rows, 3_000, 11);
        sink.rejectRowsWhere(r -> bad.contains(r.event().id()));

        Batch crashed = batch(rows);
        BatchFlusher first = flusher();
        first.advance(crashed); // RANGES_RECORDED
        first.advance(crashed); // STORED, then the process dies before its commit
        List<String> firstTokens = List.copyOf(sink.attemptedTokens);
        List<String> firstLetters = List.copyOf(deadLettered);
        sink.attemptedTokens.clear();
        deadLettered.clear();

        flusher().flush(batch(rows)); // the next owner re-forms the recorded range

        System.out.printf("[BoundedSplitTest] 50,000 rows, 3,000 bad, 1 partition: %d inserts per owner, %d stored parts, "
                + "%d rows to the DLQ, %d rows stored twice%n", firstTokens.size(), sink.storedParts.size(), firstLetters.size(),
                duplicates(sink.storedIds()));
        assertThat(firstTokens.size()).as("inserts for one partition range").isLessThanOrEqualTo(BOUND);
        assertThat(sink.attemptedTokens.equals(firstTokens)).as("the next owner's inserts: the same, in the same order").isTrue();
        assertThat(deadLettered.equals(firstLetters)).as("the same rows to the DLQ").isTrue();
        assertThat(duplicates(sink.storedIds())).as("raw count without FINAL: rows stored twice").isZero();
        assertThat(sink.storedIds()).as("no bad row stored").noneMatch(bad::contains);
        assertAccountedOnce(rows, firstLetters);
    }

    /** A rule that does not name the row (throwIf in a column, a materialized view): split in halves, still bounded. */
    @Test
    void shouldBoundTheSplittingWhenClickHouseDoesNotNameTheRow() throws Exception {
        List<Row> rows = rows(50_000, 1);
        Set<Long> bad = pick(rows, 100, 13);
        sink.rejectRowsWithoutNamingThem(r -> bad.contains(r.event().id()));

        Batch crashed = batch(rows);
        BatchFlusher first = flusher();
        first.advance(crashed);
        first.advance(crashed);
        List<String> firstTokens = List.copyOf(sink.attemptedTokens);
        List<String> firstLetters = List.copyOf(deadLettered);
        sink.attemptedTokens.clear();
        deadLettered.clear();
        flusher().flush(batch(rows));

        System.out.printf("[BoundedSplitTest] 50,000 rows, 100 bad, rows not named: %d inserts, %d stored parts, %d rows to the DLQ%n",
                firstTokens.size(), sink.storedParts.size(), firstLetters.size());
        assertThat(firstTokens.size()).as("inserts for one partition range").isLessThanOrEqualTo(BOUND);
        assertThat(sink.attemptedTokens.equals(firstTokens)).as("the next owner's inserts: the same, in the same order").isTrue();
        assertThat(duplicates(sink.storedIds())).as("rows stored twice").isZero();
        assertThat(sink.storedIds()).noneMatch(bad::contains);
        assertAccountedOnce(rows, firstLetters);
    }

    /** Every row refused (the table changed under the writer): the bound, nothing stored, every row in the DLQ once. */
    @Test
    void shouldSendARangeRejectedWhollyToTheDlqWithinTheBound() throws Exception {
        List<Row> rows = rows(50_000, 1);
        sink.rejectRowsWithoutNamingThem(r -> true);

        flusher().flush(batch(rows));

        assertThat(sink.attemptedTokens.size()).as("inserts for one partition range").isLessThanOrEqualTo(BOUND);
        assertThat(sink.storedParts.size()).isZero();
        assertAccountedOnce(rows, deadLettered);
    }

    /** A transient failure of a later partition retries the batch: the partition already stored is not sorted out again. */
    @Test
    void shouldNotSortOutAStoredPartitionAgainWhenALaterPartitionFailsTransiently() throws Exception {
        sink.rejectRowsWhere(r -> r.event().id() == 2);
        boolean[] p1Failed = {false};
        BatchFlusher flusher = new BatchFlusher(sink.intercepting((part, token) -> {
            if (part.get(0).partition() == 1 && !p1Failed[0]) {
                p1Failed[0] = true;
                throw new InsertException(InsertException.Kind.TRANSIENT, "timeout", null);
            }
            sink.insert(part, token);
        }), this::deadLetter, consumer(), "user_logins", new WriterMetrics(new SimpleMeterRegistry()), BatchFlusher.StageHook.NONE, () -> 0L);
        Batch batch = batch(List.of(row(0, 10, 1), row(0, 11, 2), row(1, 7, 3)));

        assertThatThrownBy(() -> flusher.flush(batch)).isInstanceOf(InsertException.class);
        assertThat(batch.stage()).isEqualTo(DeliveryStage.RANGES_RECORDED);
        flusher.flush(batch);

        assertThat(deadLettered).containsExactly("clickhouse_rejected@0:11");
        assertThat(sink.storedIds()).containsExactlyInAnyOrder(1L, 3L);
        assertThat(sink.attemptedTokens.stream().filter(t -> t.startsWith("user_logins:p0:")))
                .as("p0: the range (refused, naming offset 11), then the range without it; not again on the retry").hasSize(2);
    }

    private void deadLetter(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> source, DlqReason reason, String detail) {
        deadLettered.add(reason.code() + "@" + source.partition() + ":" + source.offset());
    }

    private void assertAccountedOnce(List<Row> rows, List<String> letters) {
        Map<String, Integer> seen = new HashMap<>();
        for (Row r : rows) {
            seen.put(r.partition() + ":" + r.offset(), 0);
        }
        Map<Long, String> keyOfId = rows.stream().collect(Collectors.toMap(r -> r.event().id(), r -> r.partition() + ":" + r.offset()));
        sink.storedIds().forEach(id -> seen.merge(keyOfId.get(id), 1, Integer::sum));
        letters.forEach(l -> seen.merge(l.substring(l.indexOf('@') + 1), 1, Integer::sum));
        assertThat(seen.values().stream().filter(n -> n != 1).count()).as("rows not stored once or dead-lettered once").isZero();
    }

    private static long duplicates(List<Long> ids) {
        return ids.size() - new HashSet<>(ids).size();
    }

    private BatchFlusher flusher() {
        return new BatchFlusher(sink, this::deadLetter, consumer(), "user_logins", new WriterMetrics(new SimpleMeterRegistry()), BatchFlusher.StageHook.NONE, () -> 0L);
    }

    private static MockConsumer<byte[], byte[]> consumer() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(IntStream.range(0, 3).mapToObj(p -> new TopicPartition(Records.TOPIC, p)).toList());
        return consumer;
    }

    /** Ids 1..n spread round-robin over the partitions, each partition's offsets from 0. */
    private static List<Row> rows(int n, int partitions) {
        long[] next = new long[partitions];
        List<Row> rows = new ArrayList<>(n);
        for (long id = 1; id <= n; id++) {
            int p = (int) ((id - 1) % partitions);
            rows.add(row(p, next[p]++, id));
        }
        return rows;
    }

    private static Batch batch(List<Row> rows) {
        Batch batch = new Batch();
        rows.forEach(r -> batch.add(r, 0));
        return batch;
    }

    private static Set<Long> pick(List<Row> rows, int count, long seed) {
        Random random = new Random(seed);
        Set<Long> picked = new HashSet<>();
        while (picked.size() < count) {
            picked.add(rows.get(random.nextInt(rows.size())).event().id());
        }
        return picked;
    }

    private static TreeSet<Long> ids(List<Row> rows, java.util.function.LongPredicate keep) {
        return rows.stream().map(r -> r.event().id()).filter(keep::test).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> letters(List<Row> rows, Set<Long> ids, String reason) {
        return rows.stream().filter(r -> ids.contains(r.event().id())).map(r -> reason + "@" + r.partition() + ":" + r.offset()).toList();
    }
}
