package org.userlogins.writer.dlq;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Kafka did not acknowledge a DLQ record in time, or refused it for a reason that passes (no
 * leader, a broker restarting). Retriable: the writer waits and sends the record again, since its
 * source offset may not be committed before the DLQ holds it.
 */
public final class DlqUnavailableException extends RetriableException {
    public DlqUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
