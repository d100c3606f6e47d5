package org.userlogins.capture.publish;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.userlogins.events.UserEvent;

/**
 * Decides what one Debezium record means for the pipeline and, for a new row, builds its
 * {@link UserEvent} straight from the Connect {@code Struct} (no JSON envelope in between).
 * Reads the envelope's {@code op}, {@code after}, {@code source.lsn}, {@code source.ts_ms}, {@code ts_ms}.
 */
public final class ChangeEventMapper {
    private final String tableDestination;
    private final EventTimes eventTimes;

    public ChangeEventMapper(String tableDestination, EventTimes eventTimes) {
        this.tableDestination = tableDestination;
        this.eventTimes = eventTimes;
    }

    /** What a record is: a row to publish, a row inserted as already sent, or not a row at all. */
    public enum Kind { PUBLISH, ALREADY_SENT, NOT_A_ROW }

    public record Decision(Kind kind, UserEvent event) {
        static final Decision NOT_A_ROW = new Decision(Kind.NOT_A_ROW, null);
        static final Decision ALREADY_SENT = new Decision(Kind.ALREADY_SENT, null);
    }

    public Decision decide(SourceRecord record) {
        // Heartbeats and logical-decoding messages (op=m) arrive on other destinations.
        if (!tableDestination.equals(record.topic()) || !(record.value() instanceof Struct envelope)) {
            return Decision.NOT_A_ROW;
        }
        String op = envelope.getString("op");
        Struct after = envelope.getStruct("after");
        if (after == null || !("c".equals(op) || "r".equals(op))) {
            return Decision.NOT_A_ROW;
        }
        if (Boolean.TRUE.equals(after.getBoolean("sent_to_kafka"))) {
            return Decision.ALREADY_SENT;
        }
        Struct source = envelope.getStruct("source");
        UserEvent event = new UserEvent(
                ((Number) after.get("id")).longValue(),
                after.getString("username"),
                after.getString("event_type"),
                eventTimes.toUnixSeconds((Long) after.get("event_time")),
                optionalLong(source, "lsn"),
                optionalLong(source, "ts_ms"),
                optionalLong(envelope, "ts_ms"));
        return new Decision(Kind.PUBLISH, event);
    }

    private static Long optionalLong(Struct struct, String name) {
        if (struct == null) {
            return null;
        }
        Field field = struct.schema().field(name);
        return field == null ? null : (Long) struct.get(field);
    }
}
