package org.userlogins.events;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every reason a stage sends a record to the DLQ, for all three stages. {@link #code()} is the
 * value of the {@link DlqHeaders#REASON} header and of the services' {@code reason} metric tag:
 * records already in a DLQ, {@code ./pipeline redrive --reason}, {@code ./pipeline check} and
 * alerts read it, so a code is never renamed. A code one stage shares with another (the same cause
 * at two stages) is one constant emitted by both.
 */
public enum DlqReason {
    // stream-processor: what EventValidator rejects
    /** Not parseable JSON: syntax error, invalid UTF-8, empty, trailing content. */
    NOT_JSON("not_json", Stage.PROCESSOR),
    /** Valid JSON whose root is not an object (array, string, number...). */
    NOT_OBJECT("not_object", Stage.PROCESSOR),
    /** The value is null: a tombstone is not an event. */
    EMPTY_VALUE("empty_value", Stage.PROCESSOR),
    /** No {@code id} field, or {@code id} is null. */
    MISSING_ID("missing_id", Stage.PROCESSOR),
    /** {@code id} is not a positive whole number that fits a long. */
    INVALID_ID("invalid_id", Stage.PROCESSOR),
    /** A known field has a type that cannot be stored faithfully (username a number, event_time a string...). */
    WRONG_TYPE("wrong_type", Stage.PROCESSOR),
    /** A known field appears twice: which copy is meant cannot be known, so neither is picked. */
    DUPLICATE_FIELD("duplicate_field", Stage.PROCESSOR),
    /** {@code event_time} outside ClickHouse DateTime: [0, 4294967295] seconds. */
    EVENT_TIME_OUT_OF_RANGE("event_time_out_of_range", Stage.PROCESSOR),
    /** The JSON breaks a parser limit (nesting depth, number or name length): hostile or broken input. */
    TOO_COMPLEX("too_complex", Stage.PROCESSOR),

    // shared
    /**
     * The event is larger than the stage's limit: capture's CAPTURE_MAX_MESSAGE_BYTES (the record is
     * a summary, the row stays in PostgreSQL) or the processor's PROCESSOR_MAX_MESSAGE_BYTES.
     */
    TOO_LARGE("too_large", Stage.CAPTURE, Stage.PROCESSOR),

    // cdc-capture: a row whose values cannot become an event
    /** A column arrives with a type capture cannot convert (e.g. a column altered to {@code text}, an id that is not a number). */
    UNSUPPORTED_TYPE("unsupported_type", Stage.CAPTURE),
    /** A value capture cannot read: a shape or Java class it did not foresee, a timestamp text that is no ISO-8601 instant. */
    BAD_VALUE("bad_value", Stage.CAPTURE),

    // ch-writer: what RecordDecoder and ClickHouse refuse
    /** The record has no value (a tombstone). */
    NULL_VALUE("null_value", Stage.WRITER),
    /** The value is not the contract's event JSON. */
    MALFORMED_JSON("malformed_json", Stage.WRITER),
    /** A value outside its column's type: a negative id or source_lsn, a time outside DateTime or DateTime64(3). */
    VALUE_OUT_OF_RANGE("value_out_of_range", Stage.WRITER),
    /** ClickHouse refused the row for its content (a rule of the table), singled out by the writer's search. */
    CLICKHOUSE_REJECTED("clickhouse_rejected", Stage.WRITER),
    /** In a part ClickHouse refused that the bounded search had no inserts left to sort out: good rows may be among them. */
    CLICKHOUSE_REJECTED_UNSORTED("clickhouse_rejected_unsorted", Stage.WRITER);

    /** The services that write DLQ records, by the name each puts in {@link DlqHeaders#STAGE}. */
    public enum Stage {
        CAPTURE("cdc-capture"),
        /** Its records carry no stage header: a record without one is the processor's. */
        PROCESSOR("stream-processor"),
        WRITER("ch-writer");

        private final String service;

        Stage(String service) {
            this.service = service;
        }

        /** The service's name, as {@link DlqHeaders#STAGE} carries it. */
        public String service() {
            return service;
        }
    }

    private final String code;
    private final Set<Stage> stages;

    DlqReason(String code, Stage first, Stage... more) {
        this.code = code;
        this.stages = EnumSet.of(first, more);
    }

    /** The wire value: {@code dlq.reason} header and {@code reason} metric tag. */
    public String code() {
        return code;
    }

    /** The stages that emit this reason. */
    public Set<Stage> stages() {
        return EnumSet.copyOf(stages);
    }

    public boolean emittedBy(Stage stage) {
        return stages.contains(stage);
    }

    /** The reasons one stage emits, in declaration order. */
    public static List<DlqReason> of(Stage stage) {
        return Arrays.stream(values()).filter(r -> r.emittedBy(stage)).toList();
    }
}
