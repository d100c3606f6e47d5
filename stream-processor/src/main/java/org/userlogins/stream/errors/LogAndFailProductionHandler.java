package org.userlogins.stream.errors;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be written (too large for the broker, topic missing, not authorized)
 * must not be skipped: under exactly_once_v2 failing aborts the transaction, so the input
 * offsets are not committed and the records are processed again once the cause is fixed.
 * Retriable errors never reach this handler (the producer retries them itself).
 */
public final class LogAndFailProductionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LogAndFailProductionHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        LOG.error("cannot write a record to {} (from {}-{}@{}); failing so the transaction aborts and is retried: {}",
                record.topic(), context.topic(), context.partition(), context.offset(), exception.toString());
        return Response.fail();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        LOG.error("cannot serialize the {} of a record for {} (from {}-{}@{}); failing: {}",
                origin, record.topic(), context.topic(), context.partition(), context.offset(), exception.toString());
        return Response.fail();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
