package org.userlogins.events;

/**
 * One row of PostgreSQL {@code user_logins} as it travels through Kafka.
 *
 * <p>{@code eventTime} is Unix seconds (UTC), sub-second digits truncated, because ClickHouse
 * {@code DateTime} holds seconds; {@code null} columns stay {@code null}. The lineage fields say
 * where and when the row was captured; they are {@code null} when a producer other than
 * cdc-capture sent the event.
 *
 * @param id            the primary key in PostgreSQL, always positive
 * @param username      may be null
 * @param eventType     may be null
 * @param eventTime     Unix seconds, may be null
 * @param sourceLsn     the WAL position of the change that made the row unsent (its insert, or its
 *                      flag set back to FALSE); 0 when the snapshot read it (no change in the WAL),
 *                      null when another producer sent it
 * @param commitTimeMs  when PostgreSQL committed the row (epoch ms), may be null
 * @param captureTimeMs when cdc-capture read it (epoch ms), may be null
 */
public record UserEvent(
        long id,
        String username,
        String eventType,
        Long eventTime,
        Long sourceLsn,
        Long commitTimeMs,
        Long captureTimeMs) {

    /** An event with the seed's four fields and no lineage. */
    public static UserEvent of(long id, String username, String eventType, Long eventTime) {
        return new UserEvent(id, username, eventType, eventTime, null, null, null);
    }
}
