package org.userlogins.events;

/** Default names of the topics and the consumer group that connect the services (all configurable). */
public final class Topics {
    /** Normalized events from cdc-capture, key = id. */
    public static final String USER_EVENTS = "user_events";
    /** Validated, deduplicated events from stream-processor, key = id; what ch-writer reads. */
    public static final String USER_EVENTS_CLEAN = "user_events_clean";
    /** Rejected records, original bytes, reason and source coordinates in headers. */
    public static final String USER_EVENTS_DLQ = "user_events_dlq";
    /**
     * The DLQ's max.message.bytes: twice the broker's default (1 MiB) that the other topics keep,
     * so a rejected record of their maximum size still fits with its headers.
     */
    public static final int DLQ_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
    /** The seed's consumer group: the ClickHouse writer. */
    public static final String WRITER_GROUP = "user-logins-consumer";

    private Topics() {
    }
}
