package org.userlogins.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.userlogins.capture.engine.EngineState;
import org.userlogins.capture.flag.InMemorySentFlag;
import org.userlogins.capture.ops.CaptureMetrics;
import org.userlogins.events.UserEventJson;

class BatchPublisherTest {
    private static final int MAX_MESSAGE_BYTES = 4096;
    private final List<String> steps = new ArrayList<>();
    private final CaptureMetrics metrics = new CaptureMetrics(new SimpleMeterRegistry());
    private final EngineState state = new EngineState(60_000);

    /** Sends stay unacknowledged until flush, which fails them all when {@code failFlushes} > 0. */
    private final class AckingProducer extends MockProducer<byte[], byte[]> {
        int failFlushes;
        RuntimeException failure = new TimeoutException("broker unavailable");

        AckingProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized void flush() {
            steps.add("flush");
            if (failFlushes > 0) {
                failFlushes--;
                while (errorNext(failure)) {
                    steps.add("nack");
                }
            } else {
                while (completeNext()) {
                    steps.add("ack");
                }
            }
        }
    }

    private final AckingProducer producer = new AckingProducer();
    private final InMemorySentFlag flag = new InMemorySentFlag().beforeEachCall(ids -> steps.add("flag " + Arrays.toString(ids)));

    private final DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer = new DebeziumEngine.RecordCommitter<>() {
        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            steps.add("processed " + record.record().topic());
        }

        @Override
        public void markBatchFinished() {
            steps.add("batch finished");
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    };

    private BatchPublisher publisher(Duration retryTimeout) {
        Retrier retrier = new Retrier(retryTimeout, Duration.ofMillis(1), Duration.ofMillis(5), reason -> steps.add("retry"));
        return new BatchPublisher(new ChangeEventMapper(TestRecords.DESTINATION, new EventTimes(ZoneOffset.UTC)),
                new KafkaEventSender(producer, "events", "dlq", MAX_MESSAGE_BYTES), flag, retrier, metrics, state);
    }

    private static List<RecordChangeEvent<SourceRecord>> batch(SourceRecord... records) {
        return Arrays.stream(records).map(TestRecords::event).toList();
    }

    @Test
    void shouldSendThenWaitForAcksThenFlagThenMarkProcessed() throws InterruptedException {
        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.insert(1, "a"), TestRecords.insert(2, "b")), committer);

        assertThat(steps).containsExactly("flush", "ack", "ack", "flag [1, 2]",
                "processed " + TestRecords.DESTINATION, "processed " + TestRecords.DESTINATION, "batch finished");
        assertThat(producer.history()).extracting(r -> new String(r.key(), StandardCharsets.US_ASCII)).containsExactly("1", "2");
        assertThat(UserEventJson.read(producer.history().get(1).value()).username()).isEqualTo("b");
        assertThat(metrics.published.count()).isEqualTo(2);
        assertThat(metrics.flagged.count()).isEqualTo(2);
    }

    @Test
    void shouldSendAnEventTooLargeForKafkaToTheDlqAsASummaryAndGoOn() throws InterruptedException {
        String huge = "x".repeat(MAX_MESSAGE_BYTES);

        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.insert(1, "a"), TestRecords.insert(2, huge),
                TestRecords.insert(3, "c")), committer);

        assertThat(producer.history()).extracting(r -> r.topic() + ":" + new String(r.key(), StandardCharsets.US_ASCII))
                .containsExactly("events:1", "dlq:2", "events:3");
        var dead = producer.history().get(1);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).startsWith("{\"id\":2,\"bytes\":").contains("\"username_chars\":4096");
        assertThat(dead.value().length).isLessThan(200);
        assertThat(new String(dead.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)).isEqualTo("too_large");
        assertThat(new String(dead.headers().lastHeader("dlq.detail").value(), StandardCharsets.UTF_8))
                .contains("row id 2", "CAPTURE_MAX_MESSAGE_BYTES=4096", "stays in PostgreSQL");
        assertThat(steps).as("dead-lettered counts as handled: flagged, processed, capture goes on")
                .contains("flag [1, 2, 3]", "batch finished");
    }

    @Test
    void shouldMarkNothingProcessedWhenKafkaKeepsFailing() {
        producer.failFlushes = Integer.MAX_VALUE;

        assertThatThrownBy(() -> publisher(Duration.ofMillis(50)).handleBatch(batch(TestRecords.insert(1, "a")), committer))
                .isInstanceOf(Retrier.CaptureFailedException.class);

        assertThat(steps).doesNotContain("batch finished").noneMatch(s -> s.startsWith("processed") || s.startsWith("flag"));
        assertThat(flag.calls).isEmpty();
    }

    @Test
    void shouldFailAtOnceWithoutMarkingWhenTheErrorIsNotRetriable() {
        producer.failFlushes = 1;
        producer.failure = new RecordTooLargeException("too large");

        assertThatThrownBy(() -> publisher(Duration.ofSeconds(10)).handleBatch(batch(TestRecords.insert(1, "a")), committer))
                .isInstanceOf(Retrier.CaptureFailedException.class).hasMessageContaining("not retriable");

        assertThat(steps).containsExactly("flush", "nack");
    }

    @Test
    void shouldMarkNothingProcessedWhenSendThrows() {
        producer.sendException = new TimeoutException("metadata not available");

        assertThatThrownBy(() -> publisher(Duration.ofMillis(30)).handleBatch(batch(TestRecords.insert(1, "a")), committer))
                .isInstanceOf(Retrier.CaptureFailedException.class);

        assertThat(steps).noneMatch(s -> s.startsWith("processed") || s.startsWith("flag") || s.equals("batch finished"));
    }

    @Test
    void shouldResendOnlyUnacknowledgedEventsAfterATransientFailure() throws InterruptedException {
        producer.failFlushes = 1;

        publisher(Duration.ofSeconds(5)).handleBatch(batch(TestRecords.insert(1, "a"), TestRecords.insert(2, "b")), committer);

        assertThat(steps).containsExactly("flush", "nack", "nack", "retry", "flush", "ack", "ack", "flag [1, 2]",
                "processed " + TestRecords.DESTINATION, "processed " + TestRecords.DESTINATION, "batch finished");
        assertThat(state.phase()).isEqualTo(EngineState.Phase.RUNNING);
    }

    @Test
    void shouldRetryTheFlagAndMarkNothingUntilItIsWritten() throws InterruptedException {
        flag.failingFirst(2);

        publisher(Duration.ofSeconds(5)).handleBatch(batch(TestRecords.insert(5, "a")), committer);

        assertThat(steps).containsExactly("flush", "ack", "flag [5]", "retry", "flag [5]", "retry", "flag [5]",
                "processed " + TestRecords.DESTINATION, "batch finished");
    }

    @Test
    void shouldMarkNothingProcessedWhenTheFlagCannotBeWritten() {
        flag.failingFirst(Integer.MAX_VALUE);

        assertThatThrownBy(() -> publisher(Duration.ofMillis(30)).handleBatch(batch(TestRecords.insert(5, "a")), committer))
                .isInstanceOf(Retrier.CaptureFailedException.class);

        assertThat(producer.history()).hasSize(1);
        assertThat(steps).noneMatch(s -> s.startsWith("processed") || s.equals("batch finished"));
    }

    @Test
    void shouldMarkSkippedRecordsProcessedWithoutSendingThem() throws InterruptedException {
        var alreadySent = TestRecords.change("c", TestRecords.row(8, "x", "login", 0L, true));

        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.heartbeat(), alreadySent), committer);

        assertThat(producer.history()).isEmpty();
        assertThat(flag.calls).isEmpty();
        assertThat(steps).containsExactly("processed __debezium-heartbeat.test_slot", "processed " + TestRecords.DESTINATION, "batch finished");
        assertThat(metrics.skippedAlreadySent.count()).isEqualTo(1);
    }
}
