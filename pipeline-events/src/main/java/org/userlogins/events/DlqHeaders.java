package org.userlogins.events;

/**
 * The headers a DLQ record carries, as every stage writes them and the tools read them. Values are
 * UTF-8 text; numbers are decimal (offsets, epoch milliseconds). A stage keeps the original record's
 * own headers beside these.
 */
public final class DlqHeaders {
    /** What every header below starts with: a re-drive strips them before publishing again. */
    public static final String PREFIX = "dlq.";
    /** Why: a {@link DlqReason#code()}, e.g. {@code missing_id}, {@code clickhouse_rejected}. */
    public static final String REASON = "dlq.reason";
    /** The reason in words, for the operator. */
    public static final String DETAIL = "dlq.detail";
    /** Which service rejected it: {@code cdc-capture}, {@code ch-writer} (the processor's records have none). */
    public static final String STAGE = "dlq.stage";
    /** Where the record was read: a topic, or {@link #CAPTURE_SOURCE} for capture's rows. */
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    /** The source record's timestamp, epoch milliseconds. */
    public static final String SOURCE_TIMESTAMP = "dlq.source.timestamp";
    /** When the stage rejected it, epoch milliseconds. */
    public static final String TIME = "dlq.time";
    /** {@link #SOURCE_TOPIC} of capture's records: the row came from PostgreSQL, not from a topic. */
    public static final String CAPTURE_SOURCE = "postgresql";
    /** What the re-drive's own headers start with: a next re-drive replaces them. */
    public static final String REDRIVE_PREFIX = "redrive.";
    /** Set by a re-drive on what it publishes again: how many times this record was re-driven. */
    public static final String REDRIVE_ATTEMPT = "redrive.attempt";
    /** Set by a re-drive: the DLQ coordinates the record was re-driven from. */
    public static final String REDRIVE_FROM = "redrive.from";

    private DlqHeaders() {
    }
}
