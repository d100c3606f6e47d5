package org.userlogins.chaos.hostile;

import static org.userlogins.events.DlqReason.DUPLICATE_FIELD;
import static org.userlogins.events.DlqReason.EMPTY_VALUE;
import static org.userlogins.events.DlqReason.EVENT_TIME_OUT_OF_RANGE;
import static org.userlogins.events.DlqReason.INVALID_ID;
import static org.userlogins.events.DlqReason.MISSING_ID;
import static org.userlogins.events.DlqReason.NOT_JSON;
import static org.userlogins.events.DlqReason.NOT_OBJECT;
import static org.userlogins.events.DlqReason.TOO_COMPLEX;
import static org.userlogins.events.DlqReason.WRONG_TYPE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.userlogins.events.DlqReason;

/**
 * The hostile burst: one record per way an input can be wrong, each with the reason the stream
 * processor must give (its validation package is the reference; HostileCatalogTest runs every
 * record through the real validator). Ids that parse are above PostgreSQL's SERIAL range, so a
 * record wrongly accepted shows up as an extra row in ClickHouse.
 */
public final class HostileCatalog {
    /** Above any SERIAL id (2^31 - 1): cannot collide with a captured row. */
    static final long FOREIGN_ID = 9_000_000_000_000L;

    private HostileCatalog() {
    }

    public static List<HostileMessage> burst(String keyPrefix) {
        List<HostileMessage> m = new ArrayList<>();
        Adder add = (value, expected, what) -> m.add(new HostileMessage(keyPrefix + m.size(), value, expected.code(), what));
        long id = FOREIGN_ID + 1;
        add.to(text("this is not json {"), NOT_JSON, "plain text");
        add.to(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0xc3, 0x28}, NOT_JSON, "invalid UTF-8 bytes");
        add.to(new byte[0], NOT_JSON, "empty value");
        add.to(null, EMPTY_VALUE, "tombstone (null value)");
        add.to(text("{\"id\": " + id + ", \"username\": \"a\u0001b\"}"), NOT_JSON, "raw control character inside a string");
        add.to(text("{\"id\": " + id + "} trailing"), NOT_JSON, "content after the object");
        add.to(text("[1, 2, 3]"), NOT_OBJECT, "an array");
        add.to(text("\"just a string\""), NOT_OBJECT, "a string");
        add.to(text("42"), NOT_OBJECT, "a number");
        add.to(text("{}"), MISSING_ID, "empty object");
        add.to(text("{\"id\": null, \"username\": \"x\"}"), MISSING_ID, "null id");
        add.to(text("{\"username\": \"'); DROP TABLE user_logins; --\\u0000\\u0007\\r\\n\", \"event_type\": \"login\"}"),
                MISSING_ID, "SQL and escaped control characters, no id");
        add.to(text("{\"id\": -5}"), INVALID_ID, "negative id");
        add.to(text("{\"id\": 0}"), INVALID_ID, "zero id");
        add.to(text("{\"id\": 1.5}"), INVALID_ID, "fractional id");
        add.to(text("{\"id\": \"1; DROP TABLE user_logins; --\"}"), INVALID_ID, "SQL in the id");
        add.to(text("{\"id\": 99999999999999999999999}"), INVALID_ID, "id beyond 64 bits");
        add.to(text("{\"id\": true}"), INVALID_ID, "boolean id");
        add.to(text("{\"id\": " + id + ", \"username\": 123}"), WRONG_TYPE, "numeric username");
        add.to(text("{\"id\": " + id + ", \"event_type\": {\"nested\": true}}"), WRONG_TYPE, "object event_type");
        add.to(text("{\"id\": " + id + ", \"event_time\": \"2024-01-01\"}"), WRONG_TYPE, "event_time as a string");
        add.to(text("{\"id\": " + id + ", \"source_lsn\": \"abc\"}"), WRONG_TYPE, "source_lsn as a string");
        add.to(text("{\"id\": " + id + ", \"event_time\": -1}"), EVENT_TIME_OUT_OF_RANGE, "negative event_time");
        add.to(text("{\"id\": " + id + ", \"event_time\": 4294967296}"), EVENT_TIME_OUT_OF_RANGE, "event_time past 2106");
        add.to(text("{\"id\": " + id + ", \"event_time\": 1e999999999}"), EVENT_TIME_OUT_OF_RANGE, "event_time 1e999999999");
        add.to(text("{\"id\": " + id + ", \"id\": " + (id + 1) + "}"), DUPLICATE_FIELD, "id twice");
        add.to(text("{\"id\": " + id + ", \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}"), TOO_COMPLEX, "5,000 levels of nesting");
        add.to(text("{\"id\": " + id + ", \"x\": " + "9".repeat(5000) + "}"), TOO_COMPLEX, "a 5,000-digit number");
        add.to(text("{\"id\": " + id + ", \"" + "k".repeat(60_000) + "\": 1}"), TOO_COMPLEX, "a 60,000-character field name");
        add.to(text("{\"id\": \"big\", \"username\": \"" + "A".repeat(900 * 1024) + "\"}"), INVALID_ID, "900 KB value");
        m.add(new HostileMessage(keyPrefix + m.size(), text("{\"id\": " + id + ", \"username\": \"" + "B".repeat(2 * 1024 * 1024) + "\"}"),
                HostileMessage.REFUSED_BY_BROKER, "2 MB value"));
        return m;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Adder {
        void to(byte[] value, DlqReason expected, String what);
    }
}
