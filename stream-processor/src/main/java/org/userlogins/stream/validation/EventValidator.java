package org.userlogins.stream.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

/**
 * Decides whether one {@code user_events} value can be stored faithfully, and normalizes it to
 * a {@link UserEvent}. Accepts: a JSON object with {@code id} (positive, JSON integer or string
 * of digits), {@code username}/{@code event_type} (string or null/missing), {@code event_time}
 * (integer or fractional Unix seconds, floored toward -inf; or null/missing), lineage integers;
 * other fields are ignored. Everything else is a {@link Verdict.Rejected} with a reason.
 *
 * <p>Streaming Jackson with tight {@link StreamReadConstraints}: hostile nesting or giant
 * numbers are rejected as {@code too_complex} instead of costing memory or stack. Thread-safe.
 */
public final class EventValidator {
    /** The contract's events are flat; 32 levels leave room for nested extras and stop abuse. */
    static final int MAX_NESTING_DEPTH = 32;
    private static final int MAX_NUMBER_LENGTH = 100;

    private final int maxMessageBytes;
    private final JsonFactory factory;

    public EventValidator(int maxMessageBytes) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxDocumentLength(maxMessageBytes)
                        .build())
                .build();
    }

    public Verdict validate(byte[] value) {
        if (value == null) {
            return Verdict.rejected(DlqReason.EMPTY_VALUE, "the value is null (a tombstone), not an event");
        }
        if (value.length > maxMessageBytes) {
            return Verdict.rejected(DlqReason.TOO_LARGE,
                    "the value has " + value.length + " bytes, more than the limit of " + maxMessageBytes);
        }
        try (JsonParser json = factory.createParser(value)) {
            return Verdict.accepted(readEvent(json));
        } catch (Rejection rejection) {
            return rejection.toVerdict();
        } catch (StreamConstraintsException e) {
            return Verdict.rejected(DlqReason.TOO_COMPLEX, firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            return Verdict.rejected(DlqReason.NOT_JSON, "not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return Verdict.rejected(DlqReason.NOT_JSON, "not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static UserEvent readEvent(JsonParser json) throws IOException {
        JsonToken root = json.nextToken();
        if (root == null) {
            throw new Rejection(DlqReason.NOT_JSON, "not valid JSON: the value is empty");
        }
        if (root != JsonToken.START_OBJECT) {
            throw new Rejection(DlqReason.NOT_OBJECT, "the JSON value is " + FieldReaders.describe(root) + ", not an object");
        }
        UserEvent event = readFields(json);
        if (json.nextToken() != null) {
            throw new Rejection(DlqReason.NOT_JSON, "not valid JSON: content after the end of the object");
        }
        return event;
    }

    private static UserEvent readFields(JsonParser json) throws IOException {
        Long id = null;
        String username = null;
        String eventType = null;
        Long eventTime = null;
        Long lsn = null;
        Long commit = null;
        Long capture = null;
        Set<String> seen = new HashSet<>(8);
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            if (isKnown(field) && !seen.add(field)) {
                throw new Rejection(DlqReason.DUPLICATE_FIELD, "field " + field + " appears more than once");
            }
            switch (field) {
                case UserEventJson.ID -> id = FieldReaders.id(json, token);
                case UserEventJson.USERNAME -> username = FieldReaders.text(json, token, field);
                case UserEventJson.EVENT_TYPE -> eventType = FieldReaders.text(json, token, field);
                case UserEventJson.EVENT_TIME -> eventTime = FieldReaders.eventTime(json, token, field);
                case UserEventJson.SOURCE_LSN -> lsn = FieldReaders.integer(json, token, field);
                case UserEventJson.COMMIT_TS_MS -> commit = FieldReaders.integer(json, token, field);
                case UserEventJson.CAPTURE_TS_MS -> capture = FieldReaders.integer(json, token, field);
                default -> json.skipChildren(); // extra fields are ignored (still parsed, so still checked)
            }
        }
        if (id == null) {
            throw new Rejection(DlqReason.MISSING_ID, "the object has no id (or id is null)");
        }
        return new UserEvent(id, username, eventType, eventTime, lsn, commit, capture);
    }

    private static boolean isKnown(String field) {
        return switch (field) {
            case UserEventJson.ID, UserEventJson.USERNAME, UserEventJson.EVENT_TYPE, UserEventJson.EVENT_TIME,
                    UserEventJson.SOURCE_LSN, UserEventJson.COMMIT_TS_MS, UserEventJson.CAPTURE_TS_MS -> true;
            default -> false;
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
