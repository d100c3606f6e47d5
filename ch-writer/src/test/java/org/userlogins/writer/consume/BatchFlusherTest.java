package org.userlogins.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userlogins.writer.testing.Records.row;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.userlogins.writer.batch.Batch;
import org.userlogins.writer.batch.DeliveryStage;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.testing.InMemoryRowSink;
import org.userlogins.writer.testing.Records;

/** Each transition of a batch's {@link DeliveryStage}s, alone: what it writes to Kafka and to ClickHouse. */
class BatchFlusherTest {
    private static final TopicPartition P0 = new TopicPartition(Records.TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(Records.TOPIC, 1);

    private final InMemoryRowSink sink = new InMemoryRowSink();
    private final List<String> deadLettered = new ArrayList<>();
    private final List<DeliveryStage> reached = new ArrayList<>();
    private int refuseCommits;
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (refuseCommits > 0) {
                refuseCommits--;
                throw new CommitFailedException("generation is stale");
            }
            super.commitSync(offsets);
        }
    };
    private BatchFlusher flusher;
    private Batch batch;

    @BeforeEach
    void setUp() {
        consumer.assign(List.of(P0, P1));
        flusher = new BatchFlusher(sink, (source, reason, detail) -> deadLettered.add(reason.code() + "@" + source.offset()),
                consumer, "user_logins", new WriterMetrics(new SimpleMeterRegistry()), reached::add, () -> 0L);
        batch = new Batch();
        batch.add(row(0, 10, 1), 0);
        batch.add(row(0, 11, 2), 0);
        batch.add(row(1, 7, 3), 0);
    }

    @Test
    void shouldRecordEachPartitionsRangeInTheCommittedMetadataBeforeInsertingAnything() throws Exception {
        flusher.advance(batch);

        assertThat(batch.stage()).isEqualTo(DeliveryStage.RANGES_RECORDED);
        assertThat(consumer.committed(Set.of(P0, P1))).isEqualTo(Map.of(
                P0, new OffsetAndMetadata(10, "inserting-until=12"), P1, new OffsetAndMetadata(7, "inserting-until=8")));
        assertThat(sink.attemptedTokens).isEmpty();
        assertThat(reached).containsExactly(DeliveryStage.RANGES_RECORDED);
    }

    @Test
    void shouldInsertEachPartitionWithATokenOfItsOwnAndMoveNoOffset() throws Exception {
        flusher.advance(batch);
        flusher.advance(batch);

        assertThat(batch.stage()).isEqualTo(DeliveryStage.STORED);
        assertThat(sink.attemptedTokens).satisfiesExactly(
                t -> assertThat(t).startsWith("user_logins:p0:10-11#"), t -> assertThat(t).startsWith("user_logins:p1:7-7#"));
        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(10, "inserting-until=12"));
    }

    @Test
    void shouldCommitTheEndOffsetsAndClearTheRangesLast() throws Exception {
        flusher.advance(batch);
        flusher.advance(batch);
        flusher.advance(batch);

        assertThat(batch.stage()).isEqualTo(DeliveryStage.COMMITTED);
        assertThat(consumer.committed(Set.of(P0, P1))).isEqualTo(Map.of(P0, new OffsetAndMetadata(12), P1, new OffsetAndMetadata(8)));
        assertThat(reached).containsExactly(DeliveryStage.RANGES_RECORDED, DeliveryStage.STORED, DeliveryStage.COMMITTED);
        assertThatThrownBy(() -> flusher.advance(batch)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldStayAtTheFailedStageAndResumeThereWithTheSameTokens() throws Exception {
        sink.failNext(InsertException.Kind.TRANSIENT, 2); // p0 fails, then p0 again
        assertThatThrownBy(() -> flusher.flush(batch)).isInstanceOf(InsertException.class);
        assertThat(batch.stage()).isEqualTo(DeliveryStage.RANGES_RECORDED);
        assertThatThrownBy(() -> flusher.flush(batch)).isInstanceOf(InsertException.class);

        flusher.flush(batch);

        assertThat(sink.attemptedTokens).hasSize(4);
        assertThat(sink.attemptedTokens.subList(0, 3)).allMatch(t -> t.equals(sink.attemptedTokens.get(0)));
        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(reached).containsExactly(DeliveryStage.RANGES_RECORDED, DeliveryStage.STORED, DeliveryStage.COMMITTED);
    }

    @Test
    void shouldInsertNothingWhenTheRangesCannotBeRecorded() {
        refuseCommits = 1;

        assertThatThrownBy(() -> flusher.advance(batch)).isInstanceOf(InsertException.class)
                .hasMessageContaining("could not record the batch's offset ranges");

        assertThat(batch.stage()).isEqualTo(DeliveryStage.FORMING);
        assertThat(sink.attemptedTokens).isEmpty();
    }

    @Test
    void shouldCommitWithoutRecordingWhenTheBatchHoldsOnlyDeadLetteredRecords() throws Exception {
        Batch skipped = new Batch();
        skipped.skip(Records.record(1, 3, 9), 0);

        flusher.flush(skipped);

        assertThat(reached).containsExactly(DeliveryStage.STORED, DeliveryStage.COMMITTED);
        assertThat(consumer.committed(Set.of(P1))).containsEntry(P1, new OffsetAndMetadata(4));
    }

    @Test
    void shouldCountTheRowsAsDoneWhenTheFinalCommitIsRefused() throws Exception {
        flusher.advance(batch);
        flusher.advance(batch);
        refuseCommits = 1;

        flusher.advance(batch);

        assertThat(batch.stage()).as("stored; the partitions' next owner re-forms the recorded ranges").isEqualTo(DeliveryStage.COMMITTED);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(10, "inserting-until=12"));
    }
}
