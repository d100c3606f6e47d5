package org.userlogins.stream.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.events.UserEventJson;
import org.userlogins.stream.dedupe.DedupePurger;
import org.userlogins.stream.dedupe.FirstSeen;
import org.userlogins.stream.dedupe.FirstSeenDedupe;
import org.userlogins.stream.validation.EventValidator;
import org.userlogins.stream.validation.Verdict;

/**
 * Reads raw {@code user_events} bytes and sends each record to exactly one place: the clean
 * sink (valid first copy: key = id in decimal, value = the contract's JSON), the DLQ sink
 * (rejected: original bytes plus reason headers), or nowhere (a duplicate, counted). Records
 * are handled one at a time in offset order, so the order per partition is kept.
 */
final class EventRouter implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);

    private final EventValidator validator;
    private final String storeName;
    private final Duration retention;
    private final ProcessingListener listener;
    private ProcessorContext<byte[], byte[]> context;
    private FirstSeenDedupe dedupe;

    EventRouter(EventValidator validator, String storeName, Duration retention, ProcessingListener listener) {
        this.validator = validator;
        this.storeName = storeName;
        this.retention = retention;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        KeyValueStore<Long, FirstSeen> store = context.getStateStore(storeName);
        this.dedupe = new FirstSeenDedupe(store, retention);
        DedupePurger purger = new DedupePurger(store, retention, context::currentStreamTimeMs, DedupePurger.MAX_SCAN_PER_RUN);
        context.schedule(DedupePurger.INTERVAL, PunctuationType.WALL_CLOCK_TIME, purger);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Verdict verdict = validator.validate(record.value());
        if (verdict instanceof Verdict.Rejected rejected) {
            context.forward(DeadLetters.of(record, rejected, context.recordMetadata(), context.currentSystemTimeMs()),
                    StreamTopology.DLQ_SINK);
            listener.rejected(rejected.reason());
            LOG.debug("rejected {}: {}", rejected.reason().code(), rejected.detail());
            return;
        }
        var event = ((Verdict.Accepted) verdict).event();
        if (!dedupe.isFirstCopy(event.id(), record.timestamp(), event.sourceLsn())) {
            listener.duplicate();
            LOG.debug("duplicate id {} dropped", event.id());
            return;
        }
        byte[] key = Long.toString(event.id()).getBytes(StandardCharsets.US_ASCII);
        context.forward(record.withKey(key).withValue(UserEventJson.write(event)), StreamTopology.CLEAN_SINK);
        listener.accepted();
    }
}
