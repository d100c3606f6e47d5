package org.userlogins.stream.topology;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.stream.dedupe.DedupePurger;
import org.userlogins.stream.dedupe.FirstSeen;
import org.userlogins.stream.dedupe.FirstSeenDedupe;

/**
 * The second step, on the repartition topic's fixed partitions: every copy of an id arrives on
 * one of them whatever input partition it came from, so one store sees them all. A first copy
 * goes to the clean sink (key = id in decimal, value = the contract's JSON), a duplicate nowhere
 * (counted). Records are handled in offset order, so the order per id is kept.
 */
final class Dedupe implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(Dedupe.class);

    private final String storeName;
    private final Duration retention;
    private final ProcessingListener listener;
    private ProcessorContext<byte[], byte[]> context;
    private FirstSeenDedupe dedupe;

    Dedupe(String storeName, Duration retention, ProcessingListener listener) {
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
        long id = ById.id(record.key());
        if (!dedupe.isFirstCopy(id, record.timestamp(), ById.lsn(record.value()))) {
            listener.duplicate();
            LOG.debug("duplicate id {} dropped", id);
            return;
        }
        context.forward(record.withValue(ById.json(record.value())));
        listener.accepted();
    }
}
