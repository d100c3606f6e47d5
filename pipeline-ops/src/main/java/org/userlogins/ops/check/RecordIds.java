package org.userlogins.ops.check;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** The row id a Kafka record is about: its key (the id as decimal text), or the "id" of its JSON value. */
public final class RecordIds {
    /** Not an id: a null or garbage key, a value without an "id". */
    public static final long NONE = -1;
    private static final JsonFactory JSON = new JsonFactory();

    private RecordIds() {
    }

    /** The key as a non-negative decimal number ("42"), or {@link #NONE}; no String made per record. */
    public static long fromKey(byte[] key) {
        if (key == null || key.length == 0 || key.length > 18) {
            return NONE;
        }
        long id = 0;
        for (byte b : key) {
            if (b < '0' || b > '9') {
                return NONE;
            }
            id = id * 10 + (b - '0');
        }
        return id;
    }

    /** The top-level "id" of a JSON object, a number or a string of digits, or {@link #NONE}. */
    public static long fromJsonValue(byte[] value) {
        if (value == null || value.length == 0) {
            return NONE;
        }
        try (JsonParser json = JSON.createParser(value)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken token = json.nextToken();
                if (field.equals("id")) {
                    if (token == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        long id = json.getLongValue();
                        return id >= 0 ? id : NONE;
                    }
                    if (token == JsonToken.VALUE_STRING) {
                        return fromKey(json.getText().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                    return NONE;
                }
                json.skipChildren();
            }
            return NONE;
        } catch (IOException | RuntimeException e) {
            return NONE; // not JSON: a hostile record, not a row's
        }
    }

    /** The id of a DLQ record: its key when that is an id, else its value's "id". */
    public static long ofDeadLetter(byte[] key, byte[] value) {
        long id = fromKey(key);
        return id != NONE ? id : fromJsonValue(value);
    }
}
