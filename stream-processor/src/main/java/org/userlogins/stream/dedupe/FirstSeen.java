package org.userlogins.stream.dedupe;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the dedupe store keeps per id: the record time of the copy that went out, and the WAL
 * position of the change it carried ({@link #NO_LSN} when the producer did not say).
 *
 * @param timeMs the record timestamp of the copy that went out
 * @param lsn    its {@code source_lsn}, or {@link #NO_LSN}
 */
public record FirstSeen(long timeMs, long lsn) {
    public static final long NO_LSN = -1;

    /**
     * 16 bytes: time, then LSN. Reads the 8-byte values of stores written before the LSN was kept
     * (a plain long time) as "LSN unknown", so an upgrade keeps its changelog.
     */
    public static Serde<FirstSeen> serde() {
        Serializer<FirstSeen> serializer = (topic, v) -> v == null ? null
                : ByteBuffer.allocate(16).putLong(v.timeMs()).putLong(v.lsn()).array();
        Deserializer<FirstSeen> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new FirstSeen(buffer.getLong(), bytes.length >= 16 ? buffer.getLong() : NO_LSN);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
