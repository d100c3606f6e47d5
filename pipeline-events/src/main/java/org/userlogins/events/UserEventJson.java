package org.userlogins.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON form of {@link UserEvent}: compact, snake_case field names, {@code null} written
 * as {@code null}. Streaming Jackson (no tree, no reflection) because capture and the writer run
 * it once per row.
 *
 * <pre>{"id":42,"username":"alice","event_type":"login","event_time":1732400000,
 *  "source_lsn":24023128,"commit_ts_ms":1732400000123,"capture_ts_ms":1732400000150}</pre>
 *
 * <p>{@link #read} is strict: it reads what {@link #write} wrote (the clean topic). Lenient
 * parsing of what other producers send is the stream processor's job.
 */
public final class UserEventJson {
    public static final String ID = "id";
    public static final String USERNAME = "username";
    public static final String EVENT_TYPE = "event_type";
    public static final String EVENT_TIME = "event_time";
    public static final String SOURCE_LSN = "source_lsn";
    public static final String COMMIT_TS_MS = "commit_ts_ms";
    public static final String CAPTURE_TS_MS = "capture_ts_ms";

    // Emoji and other supplementary characters as literal UTF-8, not as \uD83D\uDE00 escapes.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private UserEventJson() {
    }

    public static byte[] write(UserEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField(ID, event.id());
            writeString(json, USERNAME, event.username());
            writeString(json, EVENT_TYPE, event.eventType());
            writeLong(json, EVENT_TIME, event.eventTime());
            if (event.sourceLsn() != null) {
                json.writeNumberField(SOURCE_LSN, event.sourceLsn());
            }
            if (event.commitTimeMs() != null) {
                json.writeNumberField(COMMIT_TS_MS, event.commitTimeMs());
            }
            if (event.captureTimeMs() != null) {
                json.writeNumberField(CAPTURE_TS_MS, event.captureTimeMs());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize event " + event.id(), e);
        }
        return out.toByteArray();
    }

    /** Reads an event written by {@link #write}; unknown fields are skipped. */
    public static UserEvent read(byte[] bytes) {
        try (JsonParser json = FACTORY.createParser(bytes)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("event JSON is not an object");
            }
            Long id = null;
            String username = null;
            String eventType = null;
            Long eventTime = null;
            Long lsn = null;
            Long commit = null;
            Long capture = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case ID -> id = longOrNull(json, value);
                    case USERNAME -> username = textOrNull(json, value);
                    case EVENT_TYPE -> eventType = textOrNull(json, value);
                    case EVENT_TIME -> eventTime = longOrNull(json, value);
                    case SOURCE_LSN -> lsn = longOrNull(json, value);
                    case COMMIT_TS_MS -> commit = longOrNull(json, value);
                    case CAPTURE_TS_MS -> capture = longOrNull(json, value);
                    default -> json.skipChildren();
                }
            }
            if (id == null) {
                throw new IllegalArgumentException("event JSON has no id");
            }
            return new UserEvent(id, username, eventType, eventTime, lsn, commit, capture);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed event JSON: " + e.getMessage(), e);
        }
    }

    private static void writeString(JsonGenerator json, String name, String value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, value);
        }
    }

    private static void writeLong(JsonGenerator json, String name, Long value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, value);
        }
    }

    private static Long longOrNull(JsonParser json, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("field " + json.currentName() + " is not an integer");
        }
        return json.getLongValue();
    }

    private static String textOrNull(JsonParser json, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("field " + json.currentName() + " is not a string");
        }
        return json.getText();
    }
}
