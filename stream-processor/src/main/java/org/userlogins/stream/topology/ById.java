package org.userlogins.stream.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A validated event on its way from validation to the dedupe, through the repartition topic
 * {@code <application.id>-dedupe-by-id-repartition}. Key: the id in decimal ASCII, the bytes
 * cdc-capture keys {@code user_events} with, so the producer's default partitioner (murmur2 of
 * the key) puts an id on the same partition as capture does for the same partition count. Value:
 * a version byte, the change's {@code source_lsn} (8 bytes, {@link #NO_LSN} when absent), then the
 * contract's JSON as it goes to the clean topic: the dedupe reads the LSN without parsing JSON.
 */
final class ById {
    static final byte VERSION = 1;
    static final long NO_LSN = Long.MIN_VALUE;
    private static final int HEADER = 1 + Long.BYTES;

    private ById() {
    }

    static byte[] key(long id) {
        return Long.toString(id).getBytes(StandardCharsets.US_ASCII);
    }

    static long id(byte[] key) {
        return Long.parseLong(new String(key, StandardCharsets.US_ASCII));
    }

    static byte[] value(Long lsn, byte[] json) {
        return ByteBuffer.allocate(HEADER + json.length).put(VERSION).putLong(lsn == null ? NO_LSN : lsn).put(json).array();
    }

    /** The LSN, or null when the producer did not say. */
    static Long lsn(byte[] value) {
        check(value);
        long lsn = ByteBuffer.wrap(value, 1, Long.BYTES).getLong();
        return lsn == NO_LSN ? null : lsn;
    }

    static byte[] json(byte[] value) {
        check(value);
        return Arrays.copyOfRange(value, HEADER, value.length);
    }

    private static void check(byte[] value) {
        if (value == null || value.length < HEADER || value[0] != VERSION) {
            throw new IllegalStateException("not a by-id record of version " + VERSION + " (written by another version of the processor?)");
        }
    }
}
