package org.userlogins.capture.publish;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.capture.engine.EngineState;
import org.userlogins.capture.flag.JdbcSentFlag;
import org.userlogins.capture.flag.SentFlag;
import org.userlogins.capture.ops.CaptureMetrics;
import org.userlogins.events.UserEvent;

/**
 * The delivery guarantee is made here. For each engine batch: send every new row, wait until Kafka
 * acknowledged all of them, set {@code sent_to_kafka} for exactly those ids in one statement, and
 * only then mark the records processed so Debezium may commit the offset. A failure at any step
 * retries with backoff or throws before anything is marked: a crash re-sends, it never skips.
 */
public final class BatchPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);

    private final ChangeEventMapper mapper;
    private final KafkaEventSender sender;
    private final SentFlag sentFlag;
    private final Retrier retrier;
    private final CaptureMetrics metrics;
    private final EngineState state;
    private final DrainGate gate = new DrainGate();

    public BatchPublisher(ChangeEventMapper mapper, KafkaEventSender sender, SentFlag sentFlag, Retrier retrier,
                          CaptureMetrics metrics, EngineState state) {
        this.mapper = mapper;
        this.sender = sender;
        this.sentFlag = sentFlag;
        this.retrier = retrier;
        this.metrics = metrics;
        this.state = state;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        gate.enter();
        try {
            publishBatch(records, committer);
        } finally {
            gate.exit();
        }
    }

    /** Before a graceful stop: lets the running batch finish and holds back the next one. */
    public boolean drain(Duration timeout) throws InterruptedException {
        return gate.drain(timeout);
    }

    private void publishBatch(List<RecordChangeEvent<SourceRecord>> records,
                              DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        long start = System.nanoTime();
        List<UserEvent> events = new ArrayList<>();
        int alreadySent = 0;
        for (RecordChangeEvent<SourceRecord> record : records) {
            ChangeEventMapper.Decision decision = mapper.decide(record.record());
            switch (decision.kind()) {
                case PUBLISH -> events.add(decision.event());
                case ALREADY_SENT -> alreadySent++;
                case NOT_A_ROW -> { }
            }
        }
        metrics.captured.increment(events.size() + alreadySent);
        metrics.skippedAlreadySent.increment(alreadySent);
        long acked = start;
        if (!events.isEmpty()) {
            publish(events);
            acked = System.nanoTime();
            flag(events);
        }
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        state.batchHandled();
        long elapsed = System.nanoTime() - start;
        metrics.batchLatency.record(elapsed, TimeUnit.NANOSECONDS);
        // Per batch at DEBUG: streaming makes many small batches; ProgressLog sums them every few seconds at INFO.
        LOG.debug("batch of {} records: {} published and flagged, {} already sent, {} ms (send+ack {} ms, flag {} ms)",
                records.size(), events.size(), alreadySent, elapsed / 1_000_000, (acked - start) / 1_000_000,
                events.isEmpty() ? 0 : (System.nanoTime() - acked) / 1_000_000);
    }

    private void publish(List<UserEvent> events) throws InterruptedException {
        List<List<UserEvent>> pending = new ArrayList<>(List.of(events));
        retrier.run("publish " + events.size() + " events", KafkaEventSender::isTransient, () -> {
            try {
                sender.sendAll(pending.get(0));
            } catch (KafkaEventSender.SendFailedException e) {
                // Send again only what Kafka did not acknowledge.
                pending.set(0, e.unacknowledged());
                throw e;
            }
        });
        metrics.published.increment(events.size());
    }

    private void flag(List<UserEvent> events) throws InterruptedException {
        long[] ids = events.stream().mapToLong(UserEvent::id).toArray();
        retrier.run("flag " + ids.length + " rows sent_to_kafka", JdbcSentFlag::isTransient, () -> sentFlag.markSent(ids));
        metrics.flagged.increment(ids.length);
    }
}
