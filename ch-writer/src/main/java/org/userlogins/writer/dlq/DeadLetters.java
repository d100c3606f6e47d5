package org.userlogins.writer.dlq;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.userlogins.events.DlqReason;

/** Where records that cannot become rows go. Returns once the record is durably stored. */
public interface DeadLetters {
    void send(ConsumerRecord<byte[], byte[]> source, DlqReason reason, String detail);

    /** Several records; returns once every one is durably stored. By default one {@link #send} after the other. */
    default void sendAll(List<Letter> letters) {
        for (Letter letter : letters) {
            send(letter.source(), letter.reason(), letter.detail());
        }
    }

    /** One record for the DLQ, with why. */
    record Letter(ConsumerRecord<byte[], byte[]> source, DlqReason reason, String detail) {
    }
}
