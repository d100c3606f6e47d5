package org.userlogins.chaos.hostile;

/**
 * One malformed or hostile record for the events topic and what must become of it.
 *
 * @param key unique per run and never a number, so compaction cannot touch a real event's key
 * @param value null for a tombstone
 * @param expected the stream processor's {@code dlq.reason} code, or {@link #REFUSED_BY_BROKER}
 * @param what a short description for the report
 */
public record HostileMessage(String key, byte[] value, String expected, String what) {
    /** Larger than the broker's max.message.bytes: the broker refuses it, nothing downstream sees it. */
    public static final String REFUSED_BY_BROKER = "refused_by_broker";

    public boolean refusedAtTheDoor() {
        return REFUSED_BY_BROKER.equals(expected);
    }

    public int size() {
        return value == null ? 0 : value.length;
    }
}
