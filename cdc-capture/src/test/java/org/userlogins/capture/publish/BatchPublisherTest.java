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
    private final List<String> steps = java.util.Collections.synchronizedList(new ArrayList<>());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CaptureMetrics metrics = new CaptureMetrics(registry);
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
    private final InMemorySentFlag flag = new InMemorySentFlag().onStep(steps::add);

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

    private static final String PROCESSED = "processed " + TestRecords.DESTINATION;

    private List<String> sent() {
        return producer.history().stream().map(r -> r.topic() + ":" + (r.key() == null ? null : new String(r.key(), StandardCharsets.US_ASCII))).toList();
    }

    @Test
    void shouldClaimThenSendThenWaitForAcksThenCommitThenMarkProcessed() throws InterruptedException {
        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.insert(1, "a"), TestRecords.insert(2, "b")), committer);

        assertThat(steps).containsExactly("claim [1, 2]", "flush", "ack", "ack", "commit", PROCESSED, PROCESSED, "batch finished");
        assertThat(sent()).containsExactly("events:1", "events:2");
        assertThat(UserEventJson.read(producer.history().get(1).value()).username()).isEqualTo("b");
        assertThat(flag.committedTrue).containsExactlyInAnyOrder(1L, 2L);
        assertThat(metrics.published.count()).isEqualTo(2);
        assertThat(metrics.flagged.count()).isEqualTo(2);
    }

    @Test
    void shouldNotSendARowWhoseCommittedFlagIsTrue() throws InterruptedException {
        flag.flaggedBefore(2); // sent before (a re-read after a crash), or set TRUE in the row's own transaction

        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.insert(1, "a"), TestRecords.insert(2, "b")), committer);

        assertThat(sent()).containsExactly("events:1");
        assertThat(steps).endsWith("commit", PROCESSED, PROCESSED, "batch finished");
        assertThat(metrics.skippedAlreadySent.count()).isEqualTo(1);
    }

    @Test
    void shouldSendARowSetBackToFalseLikeANewOne() throws InterruptedException {
        // The row filter turns "sent_to_kafka TRUE -> FALSE" into an insert; an edit of an unsent row is an update.
        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.change("c", TestRecords.row(4, "again", "login", 0L, false)),
                TestRecords.change("u", TestRecords.row(5, "edited", "login", 0L, null))), committer);

        assertThat(sent()).containsExactly("events:4", "events:5");
    }

    @Test
    void shouldSendTheLastChangeOfARowThatChangedTwiceInOneBatchOnce() throws InterruptedException {
        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.insert(1, "first"),
                TestRecords.change("u", TestRecords.row(1, "second", "login", 0L, false))), committer);

        assertThat(steps).startsWith("claim [1]");
        assertThat(sent()).containsExactly("events:1");
        assertThat(UserEventJson.read(producer.history().get(0).value()).username()).isEqualTo("second");
    }

    @Test
    void shouldSendARowItCannotConvertToTheDlqFlagItAndGoOn() throws InterruptedException {
        var textTime = TestRecords.changeWithTextEventTime(7, "2025-06-01 12:00");

        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.insert(6, "a"), textTime, TestRecords.insert(8, "c")), committer);

        assertThat(sent()).containsExactly("events:6", "events:8", "dlq:7");
        var dead = producer.history().get(2);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
        assertThat(new String(dead.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)).isEqualTo("unsupported_type");
        assertThat(new String(dead.headers().lastHeader("dlq.stage").value(), StandardCharsets.UTF_8)).isEqualTo("cdc-capture");
        assertThat(new String(dead.headers().lastHeader("dlq.detail").value(), StandardCharsets.UTF_8)).contains("row id 7", "event_time");
        assertThat(flag.committedTrue).as("a rejected row is handled: flagged").contains(7L);
        assertThat(steps).endsWith("batch finished");
        assertThat(deadLettered("unsupported_type")).isEqualTo(1);
        assertThat(deadLettered("too_large")).isZero();
    }

    @Test
    void shouldSendAnEventTooLargeForKafkaToTheDlqAsASummaryAndGoOn() throws InterruptedException {
        String huge = "x".repeat(MAX_MESSAGE_BYTES);

        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.insert(1, "a"), TestRecords.insert(2, huge),
                TestRecords.insert(3, "c")), committer);

        assertThat(sent()).containsExactly("events:1", "dlq:2", "events:3");
        var dead = producer.history().get(1);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).startsWith("{\"id\":2,\"bytes\":").contains("\"username_chars\":4096");
        assertThat(dead.value().length).isLessThan(200);
        assertThat(new String(dead.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)).isEqualTo("too_large");
        assertThat(new String(dead.headers().lastHeader("dlq.detail").value(), StandardCharsets.UTF_8))
                .contains("row id 2", "CAPTURE_MAX_MESSAGE_BYTES=4096", "stays in PostgreSQL");
        assertThat(steps).as("dead-lettered counts as handled: flagged, processed, capture goes on")
                .contains("claim [1, 2, 3]", "commit", "batch finished");
        assertThat(flag.committedTrue).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(deadLettered("too_large")).isEqualTo(1);
    }

    @Test
    void shouldCountADeadLetterOnceWhenItsBatchIsSentAgainAfterATransientFailure() throws InterruptedException {
        producer.failFlushes = 1;

        publisher(Duration.ofSeconds(5)).handleBatch(batch(TestRecords.insert(1, "x".repeat(MAX_MESSAGE_BYTES))), committer);

        assertThat(sent()).as("sent twice: the first attempt failed").containsExactly("dlq:1", "dlq:1");
        assertThat(deadLettered("too_large")).as("counted for the attempt that was committed").isEqualTo(1);
    }

    private double deadLettered(String reason) {
        return registry.get("capture.dlq.records").tag("reason", reason).counter().count();
    }

    @Test
    void shouldMarkNothingProcessedAndCommitNoFlagWhileKafkaKeepsFailing() throws Exception {
        producer.failFlushes = Integer.MAX_VALUE;
        BatchPublisher publisher = publisher(Duration.ofMillis(50));
        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        Thread handler = new Thread(() -> {
            try {
                publisher.handleBatch(batch(TestRecords.insert(1, "a")), committer);
            } catch (Throwable e) {
                ended.set(e);
            }
        }, "handler");
        handler.setDaemon(true);
        handler.start();

        // Still waiting, far past CAPTURE_RETRY_TIMEOUT (50 ms here), until the engine stops it.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> retries() >= 20);
        assertThat(handler.isAlive()).isTrue();
        handler.interrupt();
        handler.join(60_000);

        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        synchronized (steps) {
            assertThat(steps).contains("rollback").doesNotContain("commit", "batch finished").noneMatch(s -> s.startsWith("processed"));
        }
        assertThat(flag.committedTrue).isEmpty();
        assertThat(registry.get(org.userlogins.kit.KafkaUnavailableMeter.NAME).counter().count()).isGreaterThanOrEqualTo(20);
    }

    private long retries() {
        synchronized (steps) {
            return steps.stream().filter("retry"::equals).count();
        }
    }

    @Test
    void shouldRollBackAndFailAtOnceWithoutMarkingWhenTheErrorIsNotRetriable() {
        producer.failFlushes = 1;
        producer.failure = new RecordTooLargeException("too large");

        assertThatThrownBy(() -> publisher(Duration.ofSeconds(10)).handleBatch(batch(TestRecords.insert(1, "a")), committer))
                .isInstanceOf(Retrier.CaptureFailedException.class).hasMessageContaining("not retriable");

        assertThat(steps).containsExactly("claim [1]", "flush", "nack", "rollback");
    }

    @Test
    void shouldWaitForKafkaPastTheRetryTimeoutAndThenSendTheBatchOnce() throws InterruptedException {
        producer.failFlushes = 30; // each attempt nacked: Kafka away for far longer than CAPTURE_RETRY_TIMEOUT (30 ms here)

        publisher(Duration.ofMillis(30)).handleBatch(batch(TestRecords.insert(1, "a")), committer);

        assertThat(steps.stream().filter("retry"::equals)).hasSize(30);
        assertThat(steps.subList(steps.size() - 5, steps.size())).containsExactly("flush", "ack", "commit", PROCESSED, "batch finished");
        assertThat(flag.committedTrue).containsExactly(1L);
    }

    @Test
    void shouldMarkNothingProcessedWhenSendThrows() {
        producer.sendException = new org.apache.kafka.common.errors.TopicAuthorizationException("not allowed to write");

        assertThatThrownBy(() -> publisher(Duration.ofMillis(30)).handleBatch(batch(TestRecords.insert(1, "a")), committer))
                .isInstanceOf(Retrier.CaptureFailedException.class);

        assertThat(steps).noneMatch(s -> s.startsWith("processed") || s.equals("commit") || s.equals("batch finished"));
        assertThat(flag.committedTrue).isEmpty();
    }

    @Test
    void shouldRollBackAndSendTheWholeBatchAgainAfterATransientFailure() throws InterruptedException {
        producer.failFlushes = 1;

        publisher(Duration.ofSeconds(5)).handleBatch(batch(TestRecords.insert(1, "a"), TestRecords.insert(2, "b")), committer);

        assertThat(steps).containsExactly("claim [1, 2]", "flush", "nack", "nack", "rollback", "retry",
                "claim [1, 2]", "flush", "ack", "ack", "commit", PROCESSED, PROCESSED, "batch finished");
        assertThat(state.phase()).isEqualTo(EngineState.Phase.RUNNING);
    }

    @Test
    void shouldRetryTheClaimAndSendNothingUntilItIsTaken() throws InterruptedException {
        flag.failingFirstClaims(2);

        publisher(Duration.ofSeconds(5)).handleBatch(batch(TestRecords.insert(5, "a")), committer);

        assertThat(steps).containsExactly("claim [5]", "rollback", "retry", "claim [5]", "rollback", "retry",
                "claim [5]", "flush", "ack", "commit", PROCESSED, "batch finished");
        assertThat(sent()).containsExactly("events:5");
    }

    @Test
    void shouldSendAgainWhenTheCommitFailsSoTheFlagIsNeverSetForARowNotAcknowledged() throws InterruptedException {
        flag.failingFirstCommits(1);

        publisher(Duration.ofSeconds(5)).handleBatch(batch(TestRecords.insert(5, "a")), committer);

        // The copy sent before the failed commit carries the same source LSN: the stream processor drops it.
        assertThat(sent()).containsExactly("events:5", "events:5");
        assertThat(steps).endsWith("commit", PROCESSED, "batch finished");
        assertThat(flag.committedTrue).containsExactly(5L);
    }

    @Test
    void shouldMarkNothingProcessedWhenTheClaimCannotBeTaken() {
        flag.failingFirstClaims(Integer.MAX_VALUE);

        assertThatThrownBy(() -> publisher(Duration.ofMillis(30)).handleBatch(batch(TestRecords.insert(5, "a")), committer))
                .isInstanceOf(Retrier.CaptureFailedException.class);

        assertThat(producer.history()).isEmpty();
        assertThat(steps).noneMatch(s -> s.startsWith("processed") || s.equals("batch finished"));
    }

    @Test
    void shouldMarkSkippedRecordsProcessedWithoutSendingThem() throws InterruptedException {
        var alreadySent = TestRecords.change("c", TestRecords.row(8, "x", "login", 0L, true));

        publisher(Duration.ofSeconds(1)).handleBatch(batch(TestRecords.heartbeat(), alreadySent), committer);

        assertThat(producer.history()).isEmpty();
        assertThat(flag.claims).isEmpty();
        assertThat(steps).containsExactly("processed __debezium-heartbeat.test_slot", PROCESSED, "batch finished");
        assertThat(metrics.skippedAlreadySent.count()).isEqualTo(1);
    }
}
