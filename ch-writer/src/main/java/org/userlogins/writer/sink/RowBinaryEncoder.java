package org.userlogins.writer.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.userlogins.events.UserEvent;
import org.userlogins.writer.batch.Row;

/**
 * Encodes rows as ClickHouse RowBinary in the order of {@code TableDefinition.INSERT_COLUMNS}:
 * little-endian fixed-width numbers, strings as LEB128 length + UTF-8, Nullable as a 1-byte null
 * flag before the value. The most compact input ClickHouse takes and the cheapest to produce: no
 * escaping, no text numbers: less work for both sides than JSONEachRow.
 */
public final class RowBinaryEncoder {
    private byte[] buf = new byte[1 << 16];
    private int pos;

    public byte[] encode(List<Row> rows) {
        pos = 0;
        for (Row row : rows) {
            UserEvent e = row.event();
            uint64(e.id());
            nullableString(e.username());
            nullableString(e.eventType());
            if (nullFlag(e.eventTime())) {
                uint32(e.eventTime());
            }
            if (nullFlag(e.sourceLsn())) {
                uint64(e.sourceLsn());
            }
            if (nullFlag(e.commitTimeMs())) {
                uint64(e.commitTimeMs());
            }
            if (nullFlag(e.captureTimeMs())) {
                uint64(e.captureTimeMs());
            }
            uint32(row.partition());
            uint64(row.offset());
        }
        return Arrays.copyOf(buf, pos);
    }

    /** Writes the Nullable flag; true when a value must follow. */
    private boolean nullFlag(Object value) {
        ensure(1);
        buf[pos++] = (byte) (value == null ? 1 : 0);
        return value != null;
    }

    private void nullableString(String s) {
        if (nullFlag(s)) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            ensure(bytes.length + 10);
            for (long n = bytes.length; ; n >>>= 7) {
                if (n < 0x80) {
                    buf[pos++] = (byte) n;
                    break;
                }
                buf[pos++] = (byte) ((n & 0x7F) | 0x80);
            }
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }
    }

    private void uint32(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    private void uint64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
