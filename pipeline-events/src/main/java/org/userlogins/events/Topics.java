package org.userlogins.events;

/** Default names of the topics and the consumer group that connect the services (all configurable). */
public final class Topics {
    /** Normalized events from cdc-capture, key = id. */
    public static final String USER_EVENTS = "user_events";
    /** Validated, deduplicated events from stream-processor, key = id; what ch-writer reads. */
    public static final String USER_EVENTS_CLEAN = "user_events_clean";
    /** Rejected records, original bytes, reason and source coordinates in headers. */
    public static final String USER_EVENTS_DLQ = "user_events_dlq";
    /** The broker's default max.message.bytes, which the events and clean topics keep: their largest record. */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    /** The DLQ's max.message.bytes: a rejected record of the other topics' maximum size still fits with its headers. */
    public static final int DLQ_MAX_MESSAGE_BYTES = 2 * MAX_MESSAGE_BYTES;
    /** The seed's consumer group: the ClickHouse writer. */
    public static final String WRITER_GROUP = "user-logins-consumer";

    private Topics() {
    }

    /**
     * The stream processor's repartition by id (created by Kafka Streams under its application id):
     * events between validation and the dedupe wait there, so they count in the processor's lag.
     */
    public static String processorRepartition(String applicationId) {
        return applicationId + "-dedupe-by-id-repartition";
    }

    /** The changelog of the processor's dedupe store (created by Kafka Streams under its application id). */
    public static String processorChangelog(String applicationId) {
        return applicationId + "-dedupe-first-seen-changelog";
    }
}
