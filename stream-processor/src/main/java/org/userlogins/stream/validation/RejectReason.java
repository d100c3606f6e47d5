package org.userlogins.stream.validation;

/**
 * Why a message went to the DLQ. {@link #code()} is the stable value of the {@code dlq.reason}
 * header and of the {@code reason} metric tag: operators alert and replay on it, so never rename one.
 */
public enum RejectReason {
    /** Not parseable JSON: syntax error, invalid UTF-8, empty, trailing content. */
    NOT_JSON("not_json"),
    /** Valid JSON whose root is not an object (array, string, number...). */
    NOT_OBJECT("not_object"),
    /** The value is null: a tombstone is not an event. */
    EMPTY_VALUE("empty_value"),
    /** No {@code id} field, or {@code id} is null. */
    MISSING_ID("missing_id"),
    /** {@code id} is not a positive whole number that fits a long. */
    INVALID_ID("invalid_id"),
    /** A known field has a type that cannot be stored faithfully (username a number, event_time a string...). */
    WRONG_TYPE("wrong_type"),
    /** A known field appears twice: which copy is meant cannot be known, so neither is picked. */
    DUPLICATE_FIELD("duplicate_field"),
    /** {@code event_time} outside ClickHouse DateTime: [0, 4294967295] seconds. */
    EVENT_TIME_OUT_OF_RANGE("event_time_out_of_range"),
    /** The message is larger than PROCESSOR_MAX_MESSAGE_BYTES. */
    TOO_LARGE("too_large"),
    /** The JSON breaks a parser limit (nesting depth, number or name length): hostile or broken input. */
    TOO_COMPLEX("too_complex");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
