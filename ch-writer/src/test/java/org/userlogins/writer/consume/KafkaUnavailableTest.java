package org.userlogins.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userlogins.writer.testing.Records.raw;
import static org.userlogins.writer.testing.Records.record;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.batch.FlushPolicy;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.dlq.DlqUnavailableException;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.testing.InMemoryRowSink;
import org.userlogins.writer.testing.Records;

/**
 * Kafka away for longer than any client timeout, as the writer's calls see it: each call fails as
 * the real client fails it then (a commit's TimeoutException after default.api.timeout.ms, a
 * refused commit once the group has moved on, a DLQ record never acknowledged). The writer must
 * wait, say so, and go on with nothing lost or doubled, however many times the calls fail.
 */
class KafkaUnavailableTest {
    private static final TopicPartition P0 = new TopicPartition(Records.TOPIC, 0);

    private final AtomicLong now = new AtomicLong(1_000_000);
    /** While set, every commit fails the way this supplier says. */
    private Supplier<KafkaException> commitFailure;
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            KafkaException failure = commitFailure == null ? null : commitFailure.get();
            if (failure != null) {
                throw failure;
            }
            super.commitSync(offsets);
        }
    };
    private final InMemoryRowSink sink = new InMemoryRowSink();
    private final List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
    private boolean dlqDown;
    private final DeadLetters deadLetters = (source, reason, detail) -> {
        if (dlqDown) {
            throw new DlqUnavailableException("Kafka did not acknowledge the DLQ copy within 60 s", new TimeoutException("expired"));
        }
        dlq.add(source);
    };
    private final WriterStatus status = new WriterStatus();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WriterLoop loop;

    KafkaUnavailableTest() {
        WriterMetrics metrics = new WriterMetrics(registry, now::get);
        BatchFlusher flusher = new BatchFlusher(sink, deadLetters, consumer, "user_logins", metrics, BatchFlusher.StageHook.NONE, now::get);
        loop = new WriterLoop(consumer, Records.TOPIC, deadLetters, flusher, new FlushPolicy(3, Duration.ofMillis(200)),
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), metrics, status, now::get);
    }

    @BeforeEach
    void setUp() {
        loop.subscribe();
        consumer.rebalance(List.of(P0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
    }

    /** Steps the loop as its thread would, the clock moving a second a step. */
    private void run(int steps) throws Exception {
        for (int i = 0; i < steps; i++) {
            loop.step();
            now.addAndGet(1_000);
        }
    }

    private double kafkaUnavailableCount() {
        return registry.get(org.userlogins.kit.KafkaUnavailableMeter.NAME).counter().count();
    }

    @Test
    void shouldWaitForAsLongAsCommitsTimeOutThenStoreAndCommitTheBatchOnce() throws Exception {
        commitFailure = () -> new TimeoutException("Timeout of 60000ms expired before successfully committing offsets");
        for (long id = 1; id <= 3; id++) {
            consumer.addRecord(record(0, id - 1, id));
        }
        run(200); // attempts well past any client timeout, on the backoff's clock

        assertThat(loop.mode()).isEqualTo(WriterMode.RETRYING);
        assertThat(status.health().status()).isEqualTo("waiting-for-kafka");
        assertThat(status.health().detail()).contains("Kafka is unavailable");
        assertThat(kafkaUnavailableCount()).isGreaterThan(5);
        assertThat(sink.storedIds()).as("nothing inserted before the ranges are recorded").isEmpty();

        commitFailure = null;
        run(3); // the next attempt comes within the Kafka wait's short cap, not the insert backoff's 30 s

        assertThat(loop.mode()).isEqualTo(WriterMode.BATCHING);
        assertThat(status.health().status()).isEqualTo("running");
        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
    }

    @Test
    void shouldCommitAStoredBatchOnceKafkaIsBackWithoutStoringItAgain() throws Exception {
        int[] commits = {0};
        // The ranges' commit goes through; Kafka is away from the offsets' commit after the insert on.
        commitFailure = () -> ++commits[0] == 1 ? null : new TimeoutException("commit timed out");
        for (long id = 1; id <= 3; id++) {
            consumer.addRecord(record(0, id - 1, id));
        }
        run(100);

        assertThat(sink.storedIds()).containsExactly(1L, 2L, 3L);
        assertThat(status.health().status()).isEqualTo("waiting-for-kafka");
        assertThat(consumer.committed(Set.of(P0)).get(P0).metadata()).as("still the recorded range").isNotEmpty();

        commitFailure = null;
        run(40);

        assertThat(sink.attemptedTokens).as("stored once: the retry only commits").hasSize(1);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));
        assertThat(status.health().status()).isEqualTo("running");
    }

    @Test
    void shouldGoOnWhenTheGroupRefusesAnIdleCommitAfterKafkaCameBack() throws Exception {
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(record(0, 1, 2));
        consumer.addRecord(record(0, 2, 3));
        run(2);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(3));

        // The position is past the last record (a transaction marker, say): an idle commit is due.
        // Kafka was away longer than the session timeout, so the group refuses it until the next poll rejoins.
        consumer.seek(P0, 4);
        commitFailure = CommitFailedException::new;
        run(10);
        assertThat(loop.mode()).isEqualTo(WriterMode.BATCHING);

        commitFailure = null;
        run(3);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(4));
    }

    @Test
    void shouldReadARejectedRecordAndThoseAfterItAgainWhenTheDlqCannotTakeIt() throws Exception {
        consumer.addRecord(record(0, 0, 1));
        consumer.addRecord(raw(0, 1, "not json".getBytes(StandardCharsets.UTF_8)));
        consumer.addRecord(record(0, 2, 3));
        consumer.addRecord(record(0, 3, 4));
        dlqDown = true;
        run(1);

        assertThat(loop.mode()).isEqualTo(WriterMode.RETRYING);
        assertThat(status.health().status()).isEqualTo("waiting-for-kafka");
        assertThat(consumer.position(P0)).as("to be read again from the rejected record").isEqualTo(1);

        run(40); // the rows before it go on their way; nothing past it is committed
        assertThat(sink.storedIds()).containsExactly(1L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(1));

        dlqDown = false;
        // MockConsumer does not deliver again after a seek: hand it the records from the position on, as the broker would.
        consumer.addRecord(raw(0, 1, "not json".getBytes(StandardCharsets.UTF_8)));
        consumer.addRecord(record(0, 2, 3));
        consumer.addRecord(record(0, 3, 4));
        run(40);

        assertThat(dlq).extracting(ConsumerRecord::offset).containsExactly(1L);
        assertThat(sink.storedIds()).containsExactly(1L, 3L, 4L);
        assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(4));
    }
}
