package org.userlogins.writer.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where records that cannot become rows go. Returns once the record is durably stored. */
public interface DeadLetters {
    void send(ConsumerRecord<byte[], byte[]> source, String reason, String detail);
}
