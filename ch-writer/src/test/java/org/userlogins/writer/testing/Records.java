package org.userlogins.writer.testing;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.writer.batch.Row;

/** Clean-topic records and rows for unit tests. */
public final class Records {
    public static final String TOPIC = "clean";

    private Records() {
    }

    public static ConsumerRecord<byte[], byte[]> record(int partition, long offset, long id) {
        return raw(partition, offset, UserEventJson.write(UserEvent.of(id, "user" + id, "login", 1_732_400_000L)));
    }

    public static ConsumerRecord<byte[], byte[]> raw(int partition, long offset, byte[] value) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "k".getBytes(StandardCharsets.UTF_8), value);
    }

    public static Row row(int partition, long offset, long id) {
        ConsumerRecord<byte[], byte[]> r = record(partition, offset, id);
        return new Row(UserEventJson.read(r.value()), r);
    }
}
