package org.userlogins.writer.batch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

/**
 * Turns a clean-topic record into a {@link Row}, or says why it cannot be stored faithfully (the
 * caller sends it to the DLQ). The processor already validated; this guards the column ranges so
 * that no value is wrapped or clipped silently on its way into ClickHouse.
 */
public final class RecordDecoder {
    /** ClickHouse DateTime: UInt32 seconds. */
    static final long MAX_DATETIME = 4_294_967_295L;
    /** ClickHouse DateTime64 range, 1900-01-01 to 2299-12-31, in ms. */
    static final long MIN_DATETIME64_MS = -2_208_988_800_000L;
    static final long MAX_DATETIME64_MS = 10_413_791_999_999L;

    public Row decode(ConsumerRecord<byte[], byte[]> record) throws RejectedRecord {
        if (record.value() == null) {
            throw new RejectedRecord(DlqReason.NULL_VALUE, "record has no value (tombstone)");
        }
        UserEvent event;
        try {
            event = UserEventJson.read(record.value());
        } catch (IllegalArgumentException e) {
            throw new RejectedRecord(DlqReason.MALFORMED_JSON, e.getMessage());
        }
        if (event.id() < 0) {
            throw new RejectedRecord(DlqReason.VALUE_OUT_OF_RANGE, "id " + event.id() + " is negative (column is UInt64)");
        }
        Long time = event.eventTime();
        if (time != null && (time < 0 || time > MAX_DATETIME)) {
            throw new RejectedRecord(DlqReason.VALUE_OUT_OF_RANGE, "event_time " + time + " is outside DateTime (0.." + MAX_DATETIME + ")");
        }
        if (event.sourceLsn() != null && event.sourceLsn() < 0) {
            throw new RejectedRecord(DlqReason.VALUE_OUT_OF_RANGE, "source_lsn " + event.sourceLsn() + " is negative");
        }
        checkMillis("commit_ts_ms", event.commitTimeMs());
        checkMillis("capture_ts_ms", event.captureTimeMs());
        return new Row(event, record);
    }

    private static void checkMillis(String field, Long ms) throws RejectedRecord {
        if (ms != null && (ms < MIN_DATETIME64_MS || ms > MAX_DATETIME64_MS)) {
            throw new RejectedRecord(DlqReason.VALUE_OUT_OF_RANGE, field + " " + ms + " is outside DateTime64(3) (years 1900..2299)");
        }
    }

    /** A record that cannot become a row, with the DLQ reason. */
    public static final class RejectedRecord extends Exception {
        private final DlqReason reason;

        public RejectedRecord(DlqReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }

        public DlqReason reason() {
            return reason;
        }
    }
}
