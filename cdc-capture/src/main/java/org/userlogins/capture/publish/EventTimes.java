package org.userlogins.capture.publish;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneRules;
import java.util.Date;
import org.apache.kafka.connect.data.Schema;
import org.userlogins.events.DlqReason;

/**
 * Converts {@code event_time} as Debezium delivers it to Unix seconds, choosing the unit by the
 * value's Connect schema name, never by assumption: the column may be {@code timestamp(p)} or
 * {@code timestamptz(p)} for any p, and {@code ALTER TABLE} can change it while capture runs.
 *
 * <ul>
 * <li>{@code timestamp(0..3)}: {@code io.debezium.time.Timestamp}, milliseconds of the wall clock;
 * {@code timestamp(4..6)}: {@code io.debezium.time.MicroTimestamp}, microseconds;
 * {@code NanoTimestamp} and Connect's {@code Timestamp} are read too. A wall clock is read in
 * the configured zone ({@code CAPTURE_EVENT_TIME_ZONE}).</li>
 * <li>{@code timestamptz}: {@code io.debezium.time.ZonedTimestamp}, an ISO-8601 string with its
 * offset: an instant, whatever the session's or the server's {@code TimeZone}.</li>
 * </ul>
 * Sub-second digits are truncated toward the past (floor), so 1969-12-31T23:59:59.5 becomes -1.
 * No range check: the stream processor decides what is storable. Anything else is an
 * {@link UnconvertibleValue}, which sends the row to the DLQ instead of stopping capture.
 */
public final class EventTimes {
    static final String TIMESTAMP = "io.debezium.time.Timestamp";
    static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    static final String CONNECT_TIMESTAMP = org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME;

    private final ZoneId zone;
    private final ZoneRules rules;

    public EventTimes(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
    }

    /** A value that cannot become Unix seconds, with the DLQ reason. */
    public static final class UnconvertibleValue extends RuntimeException {
        private final DlqReason reason;

        UnconvertibleValue(DlqReason reason, String detail) {
            super(detail);
            this.reason = reason;
        }

        public DlqReason reason() {
            return reason;
        }
    }

    /** Unix seconds of {@code value} read by its schema; null stays null. */
    public Long toUnixSeconds(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String type = schema == null ? null : schema.name();
        if (type == null) {
            throw new UnconvertibleValue(DlqReason.UNSUPPORTED_TYPE, "event_time has Connect type " + (schema == null ? "unknown" : schema.type())
                    + " without a timestamp schema name; supported columns: timestamp(p), timestamptz(p)");
        }
        return switch (type) {
            case TIMESTAMP -> wallClockToUnixSeconds(Math.floorDiv(asLong(type, value), 1_000L));
            case MICRO_TIMESTAMP -> wallClockToUnixSeconds(Math.floorDiv(asLong(type, value), 1_000_000L));
            case NANO_TIMESTAMP -> wallClockToUnixSeconds(Math.floorDiv(asLong(type, value), 1_000_000_000L));
            case CONNECT_TIMESTAMP -> wallClockToUnixSeconds(Math.floorDiv(asDate(value).getTime(), 1_000L));
            case ZONED_TIMESTAMP -> instantToUnixSeconds(value);
            default -> throw new UnconvertibleValue(DlqReason.UNSUPPORTED_TYPE, "event_time arrives as " + type
                    + "; supported columns: timestamp(p), timestamptz(p)");
        };
    }

    private static long asLong(String type, Object value) {
        if (value instanceof Long l) {
            return l;
        }
        throw new UnconvertibleValue(DlqReason.BAD_VALUE, type + " value of class " + value.getClass().getSimpleName() + ", expected a long");
    }

    private static Date asDate(Object value) {
        if (value instanceof Date d) {
            return d;
        }
        throw new UnconvertibleValue(DlqReason.BAD_VALUE, "Connect Timestamp value of class " + value.getClass().getSimpleName());
    }

    private static long instantToUnixSeconds(Object value) {
        if (!(value instanceof String text)) {
            throw new UnconvertibleValue(DlqReason.BAD_VALUE, "ZonedTimestamp value of class " + value.getClass().getSimpleName() + ", expected text");
        }
        try {
            // Instant.getEpochSecond is already the floor of the instant.
            return OffsetDateTime.parse(text).toInstant().getEpochSecond();
        } catch (DateTimeParseException e) {
            // e.g. PostgreSQL's 'infinity', or a year Java cannot represent.
            throw new UnconvertibleValue(DlqReason.BAD_VALUE, "event_time '" + text + "' is not an ISO-8601 instant");
        }
    }

    /** Seconds of a wall clock counted as if UTC, read in the configured zone. */
    private long wallClockToUnixSeconds(long wallSeconds) {
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
