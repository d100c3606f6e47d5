package org.userlogins.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userlogins.writer.testing.Records.record;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.batch.FlushPolicy;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.testing.InMemoryRowSink;
import org.userlogins.writer.testing.Records;

/**
 * Each transition of {@link WriterMode}, alone: one mode's step over a MockConsumer and the
 * in-memory sink, asserting the mode it returns and what it did. A rebalance is scheduled to run
 * inside the step's poll, where the group runs it.
 */
class WriterModesTest {
    private static final TopicPartition P0 = new TopicPartition(Records.TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(Records.TOPIC, 1);
    private static final String P0_RANGE_0_TO_2 = "inserting-until=3";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final InMemoryRowSink sink = new InMemoryRowSink();
    private final DeadLetters deadLetters = (source, reason, detail) -> { };
    private final WriterStatus status = new WriterStatus();
    private final WriterState state = newState();
    private final Rebalance rebalance = new Rebalance(state);

    private WriterState newState() {
        WriterMetrics metrics = new WriterMetrics(new SimpleMeterRegistry());
        BatchFlusher flusher = new BatchFlusher(sink, deadLetters, consumer, "user_logins", metrics, BatchFlusher.StageHook.NONE, now::get);
        return new WriterState(consumer, deadLetters, flusher, new FlushPolicy(3, Duration.ofMillis(200)),
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), metrics, status, now::get);
    }

    @BeforeEach
    void setUp() {
        consumer.subscribe(List.of(Records.TOPIC), rebalance);
        consumer.rebalance(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    private void duringNextPoll(Runnable groupAction) {
        consumer.schedulePollTask(groupAction);
    }

    /** The previous owner of P0 recorded its range 0..2 and died before committing past it. */
    private void p0RecordedByAPreviousOwner() {
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, P0_RANGE_0_TO_2)));
    }

    @Nested
    class FromBatching {
        private final Batching batching = new Batching(state);

        @Test
        void staysWhileTheBatchIsUnderItsBoundsAndFlushesWhenOne() throws Exception {
            consumer.addRecord(record(0, 0, 1));
            assertThat(batching.step()).isEqualTo(WriterMode.BATCHING);
            assertThat(sink.attemptedTokens).isEmpty();

            consumer.addRecord(record(0, 1, 2));
            consumer.addRecord(record(0, 2, 3));
            assertThat(batching.step()).isEqualTo(WriterMode.BATCHING);
            assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
            assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
        }

        @Test
        void toRetryingWhenTheFlushFailsTransiently() throws Exception {
            sink.failNext(InsertException.Kind.TRANSIENT, 1);
            addThree(0);

            assertThat(batching.step()).isEqualTo(WriterMode.RETRYING);
            assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
            assertThat(status.health().status()).isEqualTo("retrying");
            assertThat(state.batch.size()).as("the same batch is kept for the retry").isEqualTo(3);
        }

        @Test
        void toRetryingWhenARevokeDuringThePollCannotStoreTheBatch() throws Exception {
            consumer.addRecord(record(0, 0, 1));
            consumer.addRecord(record(1, 0, 2));
            batching.step();
            sink.failNext(InsertException.Kind.TRANSIENT, 1);
            duringNextPoll(() -> rebalance.onPartitionsRevoked(List.of(P1)));

            assertThat(batching.step()).isEqualTo(WriterMode.RETRYING);
            assertThat(state.batch.partitions()).as("P1's row left uncommitted for its new owner").containsExactly(P0);
        }

        @Test
        void toRecoveringWhenAPartitionWithARecordedRangeIsAssignedDuringThePoll() throws Exception {
            p0RecordedByAPreviousOwner();
            duringNextPoll(() -> rebalance.onPartitionsAssigned(List.of(P0)));

            assertThat(batching.step()).isEqualTo(WriterMode.RECOVERING);
            assertThat(state.recovery.partitions()).containsExactly(P0);
        }

        @Test
        void stopsOnAFatalInsertErrorAtARevokeOnceThePollReturns() throws Exception {
            consumer.addRecord(record(1, 0, 5));
            batching.step();
            sink.failNext(InsertException.Kind.FATAL, 1);
            duringNextPoll(() -> rebalance.onPartitionsRevoked(List.of(P1)));

            assertThatThrownBy(batching::step).isInstanceOf(InsertException.class);
        }
    }

    @Nested
    class FromRecovering {
        private final Recovering recovering = new Recovering(state);

        @BeforeEach
        void p0HasARecordedRange() {
            p0RecordedByAPreviousOwner();
            rebalance.onPartitionsAssigned(List.of(P0));
        }

        @Test
        void staysWhileTheRangeIsIncompleteHoldingTheOtherPartitions() throws Exception {
            consumer.addRecord(record(0, 0, 1));
            for (int offset = 0; offset < 4; offset++) {
                consumer.addRecord(record(1, offset, 10 + offset));
            }
            now.addAndGet(10_000);

            assertThat(recovering.step()).isEqualTo(WriterMode.RECOVERING);
            assertThat(sink.attemptedTokens).as("past max rows and max wait, but the range is not whole").isEmpty();
            assertThat(consumer.paused()).containsExactly(P1);
            assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(0, P0_RANGE_0_TO_2));
        }

        @Test
        void toBatchingOnceTheRangeIsWholeAndStored() throws Exception {
            consumer.addRecord(record(1, 0, 10));
            assertThat(recovering.step()).isEqualTo(WriterMode.RECOVERING);
            addThree(0);
            consumer.addRecord(record(0, 3, 4)); // past the range: read again after it

            assertThat(recovering.step()).isEqualTo(WriterMode.BATCHING);
            assertThat(sink.attemptedTokens).satisfiesExactly(
                    t -> assertThat(t).startsWith("user_logins:p0:0-2#"), t -> assertThat(t).startsWith("user_logins:p1:0-0#"));
            assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
            assertThat(consumer.position(P0)).isEqualTo(3);
            assertThat(consumer.paused()).isEmpty();
            assertThat(state.recovery.active()).isFalse();
        }

        @Test
        void toRetryingWhenTheWholeRangeCannotBeStored() throws Exception {
            sink.failNext(InsertException.Kind.TRANSIENT, 1);
            addThree(0);

            assertThat(recovering.step()).isEqualTo(WriterMode.RETRYING);
            assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
            assertThat(state.recovery.partitions()).as("the range ends when the retry stores it").containsExactly(P0);
        }

        @Test
        void toBatchingWhenTheRangesPartitionIsRevokedDuringThePoll() throws Exception {
            consumer.addRecord(record(0, 0, 1));
            consumer.addRecord(record(1, 0, 10));
            assertThat(recovering.step()).isEqualTo(WriterMode.RECOVERING);
            duringNextPoll(() -> rebalance.onPartitionsRevoked(List.of(P0)));

            assertThat(recovering.step()).isEqualTo(WriterMode.BATCHING);
            assertThat(sink.storedIds()).as("P1's row stored; P0's partial range not, under another token").containsExactly(10L);
            assertThat(consumer.committed(Set.of(P0))).as("the mark stays for P0's next owner")
                    .containsEntry(P0, new OffsetAndMetadata(0, P0_RANGE_0_TO_2));
            assertThat(consumer.paused()).isEmpty();
        }

        @Test
        void toBatchingWhenTheRangeCannotBeReadInFullInTime() throws Exception {
            consumer.addRecord(record(0, 0, 1)); // offsets 1 and 2 are gone (topic truncated)
            consumer.addRecord(record(1, 0, 10));
            assertThat(recovering.step()).isEqualTo(WriterMode.RECOVERING);
            now.addAndGet(RangeRecovery.GIVE_UP_AFTER_MS);

            assertThat(recovering.step()).isEqualTo(WriterMode.BATCHING);
            assertThat(state.recovery.active()).isFalse();
            assertThat(consumer.paused()).as("the other partitions resume").isEmpty();
        }
    }

    @Nested
    class FromRetrying {
        private final Retrying retrying = new Retrying(state);

        @BeforeEach
        void aBatchOfP0FailedOnce() throws Exception {
            sink.failNext(InsertException.Kind.TRANSIENT, 1);
            addThree(0);
            assertThat(new Batching(state).step()).isEqualTo(WriterMode.RETRYING);
        }

        @Test
        void staysWithoutAnAttemptUntilTheBackoffIsDue() throws Exception {
            consumer.addRecord(record(1, 0, 10));

            assertThat(retrying.step()).isEqualTo(WriterMode.RETRYING);
            assertThat(sink.attemptedTokens).hasSize(1);
            assertThat(state.batch.size()).as("nothing new fetched while paused").isEqualTo(3);
        }

        @Test
        void staysWhenTheAttemptFailsAgain() throws Exception {
            sink.failNext(InsertException.Kind.TRANSIENT, 1);
            now.addAndGet(500);

            assertThat(retrying.step()).isEqualTo(WriterMode.RETRYING);
            assertThat(sink.attemptedTokens).hasSize(2).allMatch(t -> t.equals(sink.attemptedTokens.get(0)));
            assertThat(status.health().detail()).contains("attempt 2");
        }

        @Test
        void toBatchingWhenTheSameBatchIsStored() throws Exception {
            now.addAndGet(500);

            assertThat(retrying.step()).isEqualTo(WriterMode.BATCHING);
            assertThat(sink.attemptedTokens).hasSize(2).allMatch(t -> t.equals(sink.attemptedTokens.get(0)));
            assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
            assertThat(consumer.paused()).isEmpty();
            assertThat(status.health().up()).isTrue();
        }

        @Test
        void toRecoveringWhenARangeAssignedDuringTheWaitIsStillToRead() throws Exception {
            p0RecordedByAPreviousOwner();
            duringNextPoll(() -> rebalance.onPartitionsAssigned(List.of(P0)));
            consumer.seek(P0, 0);
            now.addAndGet(500);

            assertThat(retrying.step()).isEqualTo(WriterMode.RECOVERING);
            assertThat(state.recovery.partitions()).containsExactly(P0);
        }

        @Test
        void endsTheRecoveryWhoseWholeRangeWasInTheStoredBatch() throws Exception {
            // The batch retried holds P0's whole recorded range (Recovering flushed it and failed).
            state.recovery.begin(Map.of(P0, new OffsetAndMetadata(0, P0_RANGE_0_TO_2)));
            now.addAndGet(500);

            assertThat(retrying.step()).isEqualTo(WriterMode.BATCHING);
            assertThat(state.recovery.active()).isFalse();
            assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
        }

        @Test
        void keepsWhatIsAssignedDuringTheWaitPaused() throws Exception {
            TopicPartition p2 = new TopicPartition(Records.TOPIC, 2);
            consumer.rebalance(List.of(P0, P1, p2));
            consumer.updateBeginningOffsets(Map.of(p2, 0L));
            duringNextPoll(() -> rebalance.onPartitionsAssigned(List.of(p2)));
            consumer.addRecord(record(2, 0, 20));

            assertThat(retrying.step()).isEqualTo(WriterMode.RETRYING);
            assertThat(consumer.paused()).contains(p2);
            assertThat(state.batch.size()).as("nothing read from it").isEqualTo(3);
        }
    }

    private void addThree(int partition) {
        for (int i = 0; i < 3; i++) {
            consumer.addRecord(record(partition, i, i + 1));
        }
    }
}
