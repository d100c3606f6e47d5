package org.userlogins.capture.publish;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;

/**
 * Decides what one Debezium record means for the pipeline and, for a row to send, builds its
 * {@link UserEvent} straight from the Connect {@code Struct} (no JSON envelope in between).
 * Reads the envelope's {@code op}, {@code after}, {@code source.lsn}, {@code source.ts_ms}, {@code ts_ms}.
 *
 * <p>The publication's row filter {@code (sent_to_kafka IS NOT TRUE)} turns every change that
 * leaves a row unsent into an insert ({@code c}) or an update ({@code u}): a new row, a flag set
 * back to FALSE, an edit of an unsent row. All three are candidates; whether the row is still
 * unsent when capture gets to it is for the flag's committed state to say ({@code SentFlag#claim}).
 *
 * <p>No value may stop capture: anything that does not map (a column type changed by
 * {@code ALTER TABLE}, a value of an unexpected class) becomes a {@link Kind#REJECT} with a reason,
 * which goes to the DLQ while the row is flagged as handled.
 */
public final class ChangeEventMapper {
    /** The source_lsn of a row the snapshot read (PostgreSQL's InvalidXLogRecPtr). */
    public static final long SNAPSHOT_LSN = 0;

    private final String tableDestination;
    private final EventTimes eventTimes;
    private final LeftOutColumns leftOut;

    public ChangeEventMapper(String tableDestination, EventTimes eventTimes) {
        this(tableDestination, eventTimes, new LeftOutColumns(columns -> { }));
    }

    /** {@code leftOut} hears of the table's columns the event does not carry, whenever they change. */
    public ChangeEventMapper(String tableDestination, EventTimes eventTimes, LeftOutColumns leftOut) {
        this.tableDestination = tableDestination;
        this.eventTimes = eventTimes;
        this.leftOut = leftOut;
    }

    /** What a record is: a row to send, a row that cannot be converted, a row already sent, or not a row at all. */
    public enum Kind { PUBLISH, REJECT, ALREADY_SENT, NOT_A_ROW }

    /**
     * {@code id} is set for PUBLISH (with {@code event}) and for REJECT when the id itself could be
     * read; {@code reason} and {@code detail} only for REJECT.
     */
    public record Decision(Kind kind, Long id, UserEvent event, DlqReason reason, String detail) {
        static final Decision NOT_A_ROW = new Decision(Kind.NOT_A_ROW, null, null, null, null);
        static final Decision ALREADY_SENT = new Decision(Kind.ALREADY_SENT, null, null, null, null);

        static Decision publish(UserEvent event) {
            return new Decision(Kind.PUBLISH, event.id(), event, null, null);
        }

        static Decision reject(Long id, DlqReason reason, String detail) {
            return new Decision(Kind.REJECT, id, null, reason, detail);
        }
    }

    public Decision decide(SourceRecord record) {
        // Heartbeats and logical-decoding messages (op=m) arrive on other destinations.
        if (!tableDestination.equals(record.topic()) || !(record.value() instanceof Struct envelope)) {
            return Decision.NOT_A_ROW;
        }
        String op = envelope.getString("op");
        Struct after = envelope.getStruct("after");
        if (after == null || !("c".equals(op) || "r".equals(op) || "u".equals(op))) {
            return Decision.NOT_A_ROW;
        }
        leftOut.observe(after.schema());
        Long id = null;
        try {
            id = readId(after);
            if (Boolean.TRUE.equals(after.get("sent_to_kafka"))) {
                return Decision.ALREADY_SENT;
            }
            Struct source = envelope.getStruct("source");
            Field eventTime = after.schema().field("event_time");
            return Decision.publish(new UserEvent(
                    id,
                    text(after, "username"),
                    text(after, "event_type"),
                    eventTime == null ? null : eventTimes.toUnixSeconds(eventTime.schema(), after.get(eventTime)),
                    // A snapshot read is no change in the WAL: its source.lsn is the snapshot's start, new at each
                    // re-snapshot, which would make a re-read look like a new change to the processor's dedupe. It
                    // gets 0, PostgreSQL's "no WAL position": before every change a later reset of the row streams.
                    "r".equals(op) ? SNAPSHOT_LSN : optionalLong(source, "lsn"),
                    optionalLong(source, "ts_ms"),
                    optionalLong(envelope, "ts_ms")));
        } catch (EventTimes.UnconvertibleValue e) {
            return Decision.reject(id, e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            // ClassCastException, DataException...: a shape this code did not foresee is a reject, not a crash.
            return Decision.reject(id, DlqReason.BAD_VALUE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static long readId(Struct after) {
        Object id = after.get("id");
        if (id instanceof Integer || id instanceof Long || id instanceof Short) {
            return ((Number) id).longValue();
        }
        throw new EventTimes.UnconvertibleValue(DlqReason.UNSUPPORTED_TYPE, "id is " + (id == null ? "null" : id.getClass().getSimpleName())
                + ", expected an integer column");
    }

    /** A text column; a column made non-text by ALTER TABLE is a reject, not a silent toString. */
    private static String text(Struct after, String name) {
        Object value = after.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new EventTimes.UnconvertibleValue(DlqReason.UNSUPPORTED_TYPE, name + " arrives as " + value.getClass().getSimpleName() + ", expected text");
    }

    private static Long optionalLong(Struct struct, String name) {
        if (struct == null) {
            return null;
        }
        Field field = struct.schema().field(name);
        return field == null ? null : (Long) struct.get(field);
    }
}
