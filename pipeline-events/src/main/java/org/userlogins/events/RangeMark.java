package org.userlogins.events;

import java.util.OptionalLong;

/**
 * The metadata of a committed offset that records a batch in flight: "the rows from this offset up
 * to (excluding) {@code end} are being inserted". Kafka stores it atomically with the offset, in
 * the group, so no other store is needed and it moves with the partition to its next owner.
 */
public final class RangeMark {
    static final String PREFIX = "inserting-until=";

    private RangeMark() {
    }

    public static String metadata(long end) {
        return PREFIX + end;
    }

    /** The recorded end, or empty for an ordinary commit (no metadata, or someone else's). */
    public static OptionalLong end(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(metadata.substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
