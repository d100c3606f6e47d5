package org.userlogins.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userlogins.writer.testing.Records.record;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.batch.DedupToken;
import org.userlogins.writer.batch.FlushPolicy;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.testing.InMemoryRowSink;
import org.userlogins.writer.testing.Records;

class WriterLoopTest {
    private static final TopicPartition P0 = new TopicPartition(Records.TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(Records.TOPIC, 1);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final InMemoryRowSink sink = new InMemoryRowSink();
    private final List<String> deadLettered = new ArrayList<>();
    private final DeadLetters deadLetters = (source, reason, detail) -> deadLettered.add(reason.code() + "@" + source.offset());
    private final WriterStatus status = new WriterStatus();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WriterLoop loop;

    @BeforeEach
    void setUp() {
        WriterMetrics metrics = new WriterMetrics(registry, now::get);
        BatchFlusher flusher = new BatchFlusher(sink, deadLetters, consumer, "user_logins", metrics, BatchFlusher.StageHook.NONE, now::get);
        loop = new WriterLoop(consumer, Records.TOPIC, deadLetters, flusher, new FlushPolicy(3, Duration.ofMillis(200)),
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), metrics, status, now::get);
        loop.subscribe();
        consumer.rebalance(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    @Test
    void shouldCommitTheNextOffsetsOnlyAfterTheInsertWasAccepted() throws Exception {
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(0, 1, 2));
        loop.step();
        assertThat(sink.storedIds()).isEmpty();
        assertThat(consumer.committed(Set.of(P0))).doesNotContainKey(P0);

        consumer.addRecord(record(1, 0, 3));
        loop.step();

        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(sink.attemptedTokens).as("one insert per partition, each with its own token").hasSize(2)
                .satisfiesExactly(t -> assertThat(t).startsWith("user_logins:p0:0-1#"), t -> assertThat(t).startsWith("user_logins:p1:0-0#"));
        assertThat(consumer.committed(Set.of(P0, P1))).isEqualTo(Map.of(P0, new OffsetAndMetadata(2), P1, new OffsetAndMetadata(1)));
    }

    @Test
    void shouldCommitThePositionPastTransactionMarkersWhenIdle() throws Exception {
        consumer.addRecord(record(0, 0, 1));
        loop.step();
        now.addAndGet(200);
        loop.step();
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(1));

        consumer.seek(P0, 2); // the transaction's commit marker took offset 1: the position is past it
        now.addAndGet(1000);
        loop.step();

        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(2));
    }

    @Test
    void shouldReFormExactlyTheRecordedRangeWhenTakingOverAPartitionMidBatch() throws Exception {
        // The writer before us recorded P0's offsets 0..1, inserted them, and died before its commit.
        List<Row> inFlight = List.of(Records.row(0, 0, 1), Records.row(0, 1, 2));
        sink.insert(inFlight, DedupToken.of("user_logins", inFlight));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, "inserting-until=2")));
        loop.rebalance().onPartitionsAssigned(List.of(P0));
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(0, 1, 2));
        consumer.addRecord(record(0, 2, 3));
        consumer.addRecord(record(1, 0, 4));

        loop.step(); // the poll in which the group assigned P0
        assertThat(loop.mode()).isEqualTo(WriterMode.RECOVERING);
        loop.step();

        assertThat(sink.attemptedTokens.get(1)).as("the range again, with the token of the first insert")
                .isEqualTo(sink.attemptedTokens.get(0));
        assertThat(sink.storedIds()).as("ids 1 and 2 once; 3 was past the range and waits").containsExactly(1L, 2L, 4L);
        assertThat(consumer.committed(Set.of(P0, P1))).isEqualTo(Map.of(P0, new OffsetAndMetadata(2), P1, new OffsetAndMetadata(1)));
        assertThat(consumer.position(P0)).as("read again from the end of the range").isEqualTo(2);

        consumer.addRecord(record(0, 2, 3));
        loop.step();
        now.addAndGet(200);
        loop.step();
        assertThat(sink.storedIds()).containsExactly(1L, 2L, 4L, 3L);
    }

    @Test
    void shouldHoldTheOtherPartitionsAndNotFlushUntilTheRecordedRangeIsReadInFull() throws Exception {
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, "inserting-until=3")));
        loop.rebalance().onPartitionsAssigned(List.of(P0));
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(0, 1, 2));
        for (int offset = 0; offset < 4; offset++) {
            consumer.addRecord(record(1, offset, 10 + offset));
        }

        loop.step();
        now.addAndGet(10_000);
        loop.step();

        assertThat(sink.attemptedTokens).as("6 rows and long past max wait, but P0's range is not complete").isEmpty();
        assertThat(consumer.paused()).containsExactly(P1);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(0, "inserting-until=3"));

        consumer.addRecord(record(0, 2, 3));
        loop.step();

        assertThat(sink.attemptedTokens).satisfiesExactly(
                t -> assertThat(t).startsWith("user_logins:p0:0-2#"), t -> assertThat(t).startsWith("user_logins:p1:0-3#"));
        assertThat(consumer.paused()).isEmpty();
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
    }

    @Test
    void shouldNeverOverwriteARecordedRangeWhenIdle() throws Exception {
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5, "inserting-until=8")));
        loop.rebalance().onPartitionsAssigned(List.of(P0));

        for (int i = 0; i < 3; i++) {
            now.addAndGet(2_000);
            loop.step();
        }

        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(5, "inserting-until=8"));
    }

    @Test
    void shouldNotCommitThePositionWhileABatchIsInHand() throws Exception {
        consumer.addRecord(record(0, 0, 1));
        now.addAndGet(1000);
        loop.step();

        assertThat(loop.batchSize()).isEqualTo(1);
        assertThat(consumer.committed(Set.of(P0))).doesNotContainKey(P0);
    }

    @Test
    void shouldFlushAPartialBatchAfterMaxWait() throws Exception {
        consumer.addRecord(record(0, 0, 1));
        loop.step();
        now.addAndGet(200);
        loop.step();

        assertThat(sink.storedIds()).containsExactly(1L);
    }

    @Test
    void shouldReadARangeAgainFromItsStartWhenAnotherPartitionIsRevokedMidRecovery() throws Exception {
        // The writer before us recorded P0's range 0..2 and died before inserting it; we hold a row of P1.
        consumer.addRecord(record(1, 0, 10));
        loop.step();
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, "inserting-until=3")));
        loop.rebalance().onPartitionsAssigned(List.of(P0));
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(0, 1, 2)); // a poll brings part of the range
        loop.step();

        loop.rebalance().onPartitionsRevoked(List.of(P1)); // a rebalance takes P1; P0 stays ours
        assertThat(consumer.position(P0)).as("the range is read again from its start").isZero();
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(0, 1, 2));
        consumer.addRecord(record(0, 2, 3));
        loop.step();

        assertThat(sink.storedIds()).as("each id once: P1's row at the revoke, then P0's whole range").containsExactly(10L, 1L, 2L, 3L);
        assertThat(sink.attemptedTokens.get(1)).startsWith("user_logins:p0:0-2#");
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
    }

    @Test
    void shouldNotStoreAPartOfARangeWhenItsPartitionIsRevokedMidRecovery() throws Exception {
        // The writer before us recorded P0's range 0..2 and stored it before dying; we hold a row of P1.
        List<Row> inFlight = List.of(Records.row(0, 0, 1), Records.row(0, 1, 2), Records.row(0, 2, 3));
        sink.insert(inFlight, DedupToken.of("user_logins", inFlight));
        consumer.addRecord(record(1, 0, 10));
        loop.step();
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, "inserting-until=3")));
        loop.rebalance().onPartitionsAssigned(List.of(P0));
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(0, 1, 2));
        loop.step();

        loop.rebalance().onPartitionsRevoked(List.of(P0, P1)); // P0 goes before its range was read in full

        assertThat(sink.storedIds()).as("ids 1 and 2 not stored again under another token").containsExactly(1L, 2L, 3L, 10L);
        assertThat(consumer.committed(Set.of(P0))).as("the mark stays for P0's next owner")
                .containsEntry(P0, new OffsetAndMetadata(0, "inserting-until=3"));
    }

    @Test
    void shouldNotGiveUpARecordedRangeWhileTheWriterWaitsOutAnOutage() throws Exception {
        // The writer before us recorded P0's offsets 0..1, stored them, and died before its commit.
        List<Row> inFlight = List.of(Records.row(0, 0, 1), Records.row(0, 1, 2));
        sink.insert(inFlight, DedupToken.of("user_logins", inFlight));
        // We are retrying a batch of P1 against a ClickHouse outage when P0 comes to us.
        sink.failNext(InsertException.Kind.TRANSIENT, 8); // backoff 0.5 s doubling to 30 s: about 90 s of outage
        for (int offset = 0; offset < 3; offset++) {
            consumer.addRecord(record(1, offset, 10 + offset));
        }
        loop.step();
        assertThat(status.health().status()).isEqualTo("retrying");
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, "inserting-until=2")));
        loop.rebalance().onPartitionsAssigned(List.of(P0));
        consumer.addRecord(record(0, 0, 1)); // a poll brings part of the range: the first record only

        // The outage outlasts the time a range is given to be read (60 s), then ClickHouse is back.
        long outageStart = now.get();
        for (int second = 0; second < 300 && !status.health().up(); second += 5) {
            now.addAndGet(5_000);
            loop.step();
        }
        assertThat(status.health().up()).isTrue();
        assertThat(now.get() - outageStart).isGreaterThan(RangeRecovery.GIVE_UP_AFTER_MS);
        loop.step(); // reads offset 0: the range is not complete, and must not be given up
        consumer.addRecord(record(0, 1, 2));
        consumer.addRecord(record(0, 2, 3));
        loop.step();

        assertThat(sink.storedIds()).as("P0's range re-formed with its token, so ids 1 and 2 are not stored again")
                .containsExactlyInAnyOrder(1L, 2L, 10L, 11L, 12L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(2));
        assertThat(consumer.position(P0)).as("read again from the end of the range").isEqualTo(2);
    }

    @Test
    void shouldPauseAndRetryTheSameBatchWithTheSameTokenUntilClickHouseAccepts() throws Exception {
        sink.failNext(InsertException.Kind.TRANSIENT, 2);
        addThree();
        loop.step();

        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        assertThat(status.health().status()).isEqualTo("retrying");
        assertThat(status.health().detail()).contains("attempt 1");
        assertThat(failingSeconds()).isZero();
        consumer.addRecord(record(0, 3, 9));
        loop.step();
        assertThat(sink.attemptedTokens).hasSize(1);
        assertThat(loop.batchSize()).isEqualTo(3);

        now.addAndGet(500);
        loop.step();
        assertThat(sink.attemptedTokens).hasSize(2);
        now.addAndGet(999);
        loop.step();
        assertThat(sink.attemptedTokens).hasSize(2);
        assertThat(failingSeconds()).as("counted from the first failure, not the latest").isEqualTo(1.499);
        now.addAndGet(1);
        loop.step();

        assertThat(sink.attemptedTokens).hasSize(3).allMatch(t -> t.equals(sink.attemptedTokens.get(0)))
                .allMatch(t -> t.startsWith("user_logins:p0:0-2#"));
        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
        assertThat(consumer.paused()).isEmpty();
        assertThat(status.health().up()).isTrue();
        assertThat(failingSeconds()).as("over once a batch is delivered").isZero();
    }

    private double failingSeconds() {
        return registry.get("writer.insert.failing").gauge().value();
    }

    @Test
    void shouldStoreAgainRowsClickHouseDroppedAsARepeatOfAnAttemptItNeverKept() throws Exception {
        sink.cutOffAfterTokenNext(1); // the first attempt: no answer, token recorded, no row kept
        addThree();
        loop.step();
        assertThat(sink.storedIds()).isEmpty();

        now.addAndGet(500);
        loop.step();

        assertThat(sink.attemptedTokens).as("the retry with the same token is dropped; the rows go again under their own")
                .hasSize(3).element(2).asString().endsWith(":refill-1");
        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
        assertThat(registry.get("writer.rows.refilled").counter().count()).isEqualTo(3);
    }

    @Test
    void shouldNotStoreAgainWhatARetryFindsStored() throws Exception {
        sink.failNext(InsertException.Kind.TRANSIENT, 1);
        addThree();
        loop.step();
        now.addAndGet(500);
        loop.step();

        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(sink.attemptedTokens).hasSize(2).noneMatch(t -> t.contains(":refill"));
    }

    @Test
    void shouldSendRowsClickHouseRejectsToTheDlqAndStoreTheRest() throws Exception {
        sink.rejectRowsWhere(r -> r.event().id() == 2);
        addThree();
        loop.step();

        assertThat(deadLettered).containsExactly("clickhouse_rejected@1");
        assertThat(sink.storedIds()).containsExactlyInAnyOrder(1L, 3L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
    }

    @Test
    void shouldSendUnreadableRecordsToTheDlqAndCommitPastThem() throws Exception {
        consumer.addRecord(new ConsumerRecord<>(Records.TOPIC, 0, 0, null, "{oops".getBytes(StandardCharsets.UTF_8)));
        loop.step();
        now.addAndGet(200);
        loop.step();

        assertThat(deadLettered).containsExactly("malformed_json@0");
        assertThat(sink.attemptedTokens).isEmpty();
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void shouldStoreAndCommitTheBatchInHandWhenPartitionsAreRevoked() throws Exception {
        consumer.addRecord(record(1, 0, 5));
        loop.step();

        loop.rebalance().onPartitionsRevoked(List.of(P1));

        assertThat(sink.storedIds()).containsExactly(5L);
        assertThat(consumer.committed(Set.of(P1))).containsEntry(P1, new OffsetAndMetadata(1));
    }

    @Test
    void shouldLeaveRevokedRowsUncommittedWhileClickHouseIsDown() throws Exception {
        sink.failNext(InsertException.Kind.TRANSIENT, 1);
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(1, 0, 2));
        consumer.addRecord(record(1, 1, 3));
        loop.step();

        loop.rebalance().onPartitionsRevoked(List.of(P1));
        assertThat(loop.batchSize()).isEqualTo(1);
        now.addAndGet(500);
        loop.step();

        assertThat(sink.storedIds()).containsExactly(1L);
        assertThat(consumer.committed(Set.of(P0, P1))).containsEntry(P0, new OffsetAndMetadata(1))
                .as("P1's rows are not stored by us; its range stays recorded for its new owner")
                .containsEntry(P1, new OffsetAndMetadata(0, "inserting-until=2"));
    }

    @Test
    void shouldStopWhenTheStoreFailsForGood() {
        sink.failNext(InsertException.Kind.FATAL, 1);
        addThree();

        org.assertj.core.api.Assertions.assertThatThrownBy(loop::step).isInstanceOf(InsertException.class);
        assertThat(consumer.committed(Set.of(P0))).as("offset not moved; the range stays recorded for the next start")
                .containsEntry(P0, new OffsetAndMetadata(0, "inserting-until=3"));
    }

    @Test
    void shouldStopWhenTheStoreFailsForGoodDuringARebalance() throws Exception {
        sink.failNext(InsertException.Kind.FATAL, 1);
        consumer.addRecord(record(1, 0, 5));
        loop.step();

        loop.rebalance().onPartitionsRevoked(List.of(P1));

        org.assertj.core.api.Assertions.assertThatThrownBy(loop::step).isInstanceOf(InsertException.class);
        assertThat(consumer.committed(Set.of(P1))).containsEntry(P1, new OffsetAndMetadata(0, "inserting-until=1"));
    }

    @Test
    void shouldFlushAndCommitTheBatchInHandOnStop() throws Exception {
        consumer.addRecord(record(0, 0, 1));
        loop.step();

        loop.stop();
        loop.run();

        assertThat(sink.storedIds()).containsExactly(1L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(1));
    }

    private void addThree() {
        for (int i = 0; i < 3; i++) {
            consumer.addRecord(record(0, i, i + 1));
        }
    }
}
