package org.userlogins.chaos.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        Adder add = (value, expected, what) -> m.add(new HostileMessage(keyPrefix + m.size(), value, expected, what));
        long id = FOREIGN_ID + 1;
        add.to(text("this is not json {"), "not_json", "plain text");
        add.to(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0xc3, 0x28}, "not_json", "invalid UTF-8 bytes");
        add.to(new byte[0], "not_json", "empty value");
        add.to(null, "empty_value", "tombstone (null value)");
        add.to(text("{\"id\": " + id + ", \"username\": \"a\u0001b\"}"), "not_json", "raw control character inside a string");
        add.to(text("{\"id\": " + id + "} trailing"), "not_json", "content after the object");
        add.to(text("[1, 2, 3]"), "not_object", "an array");
        add.to(text("\"just a string\""), "not_object", "a string");
        add.to(text("42"), "not_object", "a number");
        add.to(text("{}"), "missing_id", "empty object");
        add.to(text("{\"id\": null, \"username\": \"x\"}"), "missing_id", "null id");
        add.to(text("{\"username\": \"'); DROP TABLE user_logins; --\\u0000\\u0007\\r\\n\", \"event_type\": \"login\"}"),
                "missing_id", "SQL and escaped control characters, no id");
        add.to(text("{\"id\": -5}"), "invalid_id", "negative id");
        add.to(text("{\"id\": 0}"), "invalid_id", "zero id");
        add.to(text("{\"id\": 1.5}"), "invalid_id", "fractional id");
        add.to(text("{\"id\": \"1; DROP TABLE user_logins; --\"}"), "invalid_id", "SQL in the id");
        add.to(text("{\"id\": 99999999999999999999999}"), "invalid_id", "id beyond 64 bits");
        add.to(text("{\"id\": true}"), "invalid_id", "boolean id");
        add.to(text("{\"id\": " + id + ", \"username\": 123}"), "wrong_type", "numeric username");
        add.to(text("{\"id\": " + id + ", \"event_type\": {\"nested\": true}}"), "wrong_type", "object event_type");
        add.to(text("{\"id\": " + id + ", \"event_time\": \"2024-01-01\"}"), "wrong_type", "event_time as a string");
        add.to(text("{\"id\": " + id + ", \"source_lsn\": \"abc\"}"), "wrong_type", "source_lsn as a string");
        add.to(text("{\"id\": " + id + ", \"event_time\": -1}"), "event_time_out_of_range", "negative event_time");
        add.to(text("{\"id\": " + id + ", \"event_time\": 4294967296}"), "event_time_out_of_range", "event_time past 2106");
        add.to(text("{\"id\": " + id + ", \"event_time\": 1e999999999}"), "event_time_out_of_range", "event_time 1e999999999");
        add.to(text("{\"id\": " + id + ", \"id\": " + (id + 1) + "}"), "duplicate_field", "id twice");
        add.to(text("{\"id\": " + id + ", \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}"), "too_complex", "5,000 levels of nesting");
        add.to(text("{\"id\": " + id + ", \"x\": " + "9".repeat(5000) + "}"), "too_complex", "a 5,000-digit number");
        add.to(text("{\"id\": " + id + ", \"" + "k".repeat(60_000) + "\": 1}"), "too_complex", "a 60,000-character field name");
        add.to(text("{\"id\": \"big\", \"username\": \"" + "A".repeat(900 * 1024) + "\"}"), "invalid_id", "900 KB value");
        add.to(text("{\"id\": " + id + ", \"username\": \"" + "B".repeat(2 * 1024 * 1024) + "\"}"),
                HostileMessage.REFUSED_BY_BROKER, "2 MB value");
        return m;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Adder {
        void to(byte[] value, String expected, String what);
    }
}
