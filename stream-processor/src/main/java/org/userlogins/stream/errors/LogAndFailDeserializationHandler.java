package org.userlogins.stream.errors;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology reads bytes, so a deserialization error means a bug, not bad data (bad data goes
 * to the DLQ with a reason). Skipping would drop a record silently: log where it is and fail,
 * so the offset is not committed and the record is read again after the fix.
 */
public final class LogAndFailDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LogAndFailDeserializationHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.error("cannot deserialize {}-{}@{} in task {}; stopping the thread instead of skipping it",
                record.topic(), record.partition(), record.offset(), context.taskId(), exception);
        return Response.fail();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
