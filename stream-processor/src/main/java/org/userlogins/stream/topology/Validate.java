package org.userlogins.stream.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.events.UserEventJson;
import org.userlogins.stream.validation.EventValidator;
import org.userlogins.stream.validation.Verdict;

/**
 * The first step, on the input's partitions (however many): a rejected record goes to the DLQ
 * sink (original bytes plus reason headers, with its source coordinates), a valid one on to the
 * repartition by id ({@link ById}). Stateless, so a partition added to the input only adds a task.
 */
final class Validate implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(Validate.class);

    private final EventValidator validator;
    private final ProcessingListener listener;
    private ProcessorContext<byte[], byte[]> context;

    Validate(EventValidator validator, ProcessingListener listener) {
        this.validator = validator;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
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
        context.forward(record.withKey(ById.key(event.id())).withValue(ById.value(event.sourceLsn(), UserEventJson.write(event))),
                StreamTopology.ACCEPTED);
    }
}
