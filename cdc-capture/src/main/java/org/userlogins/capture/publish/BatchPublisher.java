package org.userlogins.capture.publish;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.capture.engine.EngineState;
import org.userlogins.capture.flag.JdbcSentFlag;
import org.userlogins.capture.flag.SentFlag;
import org.userlogins.capture.ops.CaptureMetrics;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;

/**
 * The delivery guarantee is made here. For each engine batch: claim the rows whose committed
 * {@code sent_to_kafka} is not TRUE (one uncommitted UPDATE), send them, wait until Kafka
 * acknowledged all of them, commit the flags, and only then mark the records processed so
 * Debezium may commit the offset. A failure at any step rolls the claim back and retries with
 * backoff, or throws before anything is marked: a crash re-sends, it never skips.
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
        // One decision per id, the row's last change in the batch: its newest committed values.
        Map<Long, ChangeEventMapper.Decision> candidates = new LinkedHashMap<>();
        List<KafkaEventSender.Reject> rejectsWithoutId = new ArrayList<>();
        int alreadySent = 0;
        for (RecordChangeEvent<SourceRecord> record : records) {
            ChangeEventMapper.Decision decision = mapper.decide(record.record());
            switch (decision.kind()) {
                case PUBLISH, REJECT -> {
                    if (decision.id() != null) {
                        candidates.put(decision.id(), decision);
                    } else {
                        rejectsWithoutId.add(new KafkaEventSender.Reject(null, decision.reason(), decision.detail()));
                    }
                }
                case ALREADY_SENT -> alreadySent++;
                case NOT_A_ROW -> { }
            }
        }
        metrics.captured.increment(candidates.size() + rejectsWithoutId.size() + alreadySent);
        Outcome outcome = candidates.isEmpty() && rejectsWithoutId.isEmpty() ? Outcome.NONE : deliver(candidates, rejectsWithoutId);
        metrics.published.increment(outcome.published());
        metrics.flagged.increment(outcome.published() + outcome.rejected());
        metrics.skippedAlreadySent.increment(alreadySent + outcome.notClaimed());
        outcome.deadLettered().forEach(metrics::deadLettered);
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        state.batchHandled();
        long elapsed = System.nanoTime() - start;
        metrics.batchLatency.record(elapsed, TimeUnit.NANOSECONDS);
        // Per batch at DEBUG: streaming makes many small batches; ProgressLog sums them every few seconds at INFO.
        LOG.debug("batch of {} records: {} published and flagged, {} rejected to the DLQ, {} already sent, {} ms",
                records.size(), outcome.published(), outcome.rejected(), alreadySent + outcome.notClaimed(), elapsed / 1_000_000);
    }

    private record Outcome(int published, int rejected, int notClaimed, Map<DlqReason, Integer> deadLettered) {
        static final Outcome NONE = new Outcome(0, 0, 0, Map.of());
    }

    /**
     * Claims the candidates whose committed flag is not TRUE, sends them (events to the topic,
     * rejects to the DLQ), waits for every ack, then commits the flags. A failure rolls the claim
     * back and the retry starts over: copies Kafka already took are sent again with the same
     * source LSN, which the stream processor drops as duplicates.
     */
    private Outcome deliver(Map<Long, ChangeEventMapper.Decision> candidates, List<KafkaEventSender.Reject> rejectsWithoutId)
            throws InterruptedException {
        long[] ids = candidates.keySet().stream().mapToLong(Long::longValue).toArray();
        Outcome[] outcome = {Outcome.NONE};
        retrier.run("send and flag " + (ids.length + rejectsWithoutId.size()) + " rows", BatchPublisher::isTransient, () -> {
            try {
                Set<Long> claimed = ids.length == 0 ? Set.of() : sentFlag.claim(ids);
                List<UserEvent> events = new ArrayList<>(claimed.size());
                List<KafkaEventSender.Reject> rejects = new ArrayList<>(rejectsWithoutId);
                for (ChangeEventMapper.Decision d : candidates.values()) {
                    if (!claimed.contains(d.id())) {
                        continue; // committed TRUE (sent before, or inserted already sent) or gone: not to be sent
                    }
                    if (d.kind() == ChangeEventMapper.Kind.PUBLISH) {
                        events.add(d.event());
                    } else {
                        rejects.add(new KafkaEventSender.Reject(d.id(), d.reason(), d.detail()));
                    }
                }
                Map<DlqReason, Integer> deadLettered = sender.sendAll(events, rejects);
                sentFlag.commit();
                outcome[0] = new Outcome(events.size(), rejects.size(), ids.length - claimed.size(), deadLettered);
            } catch (Exception e) {
                sentFlag.rollback();
                if (KafkaEventSender.isTransient(e)) {
                    metrics.kafkaUnavailable.increment();
                    throw new KafkaEventSender.KafkaUnavailable(e);
                }
                throw e;
            }
        });
        return outcome[0];
    }

    private static boolean isTransient(Throwable e) {
        return KafkaEventSender.isTransient(e) || JdbcSentFlag.isTransient(e);
    }
}
