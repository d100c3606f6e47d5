package org.userlogins.writer.batch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.userlogins.events.UserEvent;

/**
 * One event read from the clean topic, with the record it came from (its partition and offset go
 * into the table; its original bytes go to the DLQ if ClickHouse rejects the row).
 */
public record Row(UserEvent event, ConsumerRecord<byte[], byte[]> source) {
    public int partition() {
        return source.partition();
    }

    public long offset() {
        return source.offset();
    }
}
