package org.userlogins.capture.publish;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Converts a PostgreSQL {@code TIMESTAMP} as Debezium delivers it (MicroTimestamp: the wall clock's
 * microseconds since 1970-01-01T00:00, read as if UTC) to Unix seconds, reading the wall clock in
 * the configured zone. Sub-second digits are truncated toward the past (floor), so
 * 1969-12-31T23:59:59.5 becomes -1. No range check: the stream processor decides what is storable.
 */
public final class EventTimes {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final ZoneId zone;
    private final ZoneRules rules;

    public EventTimes(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
    }

    public Long toUnixSeconds(Long wallClockMicros) {
        if (wallClockMicros == null) {
            return null;
        }
        long wallSeconds = Math.floorDiv(wallClockMicros, MICROS_PER_SECOND);
        if (rules.isFixedOffset()) {
            return wallSeconds - rules.getOffset(Instant.EPOCH).getTotalSeconds();
        }
        try {
            // A wall clock in a DST gap moves forward; in an overlap it takes the earlier offset (java.time's rule).
            return LocalDateTime.ofEpochSecond(wallSeconds, 0, ZoneOffset.UTC).atZone(zone).toEpochSecond();
        } catch (DateTimeException beyondJavaTime) {
            // Outside LocalDateTime's years (+-999,999,999): the zone's standard offset is the only sensible one.
            return wallSeconds - rules.getStandardOffset(Instant.EPOCH).getTotalSeconds();
        }
    }
}
