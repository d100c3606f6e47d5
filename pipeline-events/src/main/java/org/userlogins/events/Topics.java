package org.userlogins.events;

/** Default names of the topics and the consumer group that connect the services (all configurable). */
public final class Topics {
    /** Normalized events from cdc-capture, key = id. */
    public static final String USER_EVENTS = "user_events";
    /** Validated, deduplicated events from stream-processor, key = id; what ch-writer reads. */
    public static final String USER_EVENTS_CLEAN = "user_events_clean";
    /** Rejected records, original bytes, reason and source coordinates in headers. */
    public static final String USER_EVENTS_DLQ = "user_events_dlq";
    /** The seed's consumer group: the ClickHouse writer. */
    public static final String WRITER_GROUP = "user-logins-consumer";

    private Topics() {
    }
}
