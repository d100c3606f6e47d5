package org.userlogins.stream.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;
import org.userlogins.events.DlqReason;

/**
 * Reads one known field's value from the parser positioned on it, or throws a {@link Rejection}.
 * Nothing is clamped or coerced beyond the documented rules: an id may be a JSON integer or a
 * string of digits; {@code event_time} may be integer or fractional seconds, the fraction
 * floored (toward -inf) to whole seconds as the seed stores seconds.
 */
final class FieldReaders {
    /** ClickHouse DateTime is an unsigned 32-bit count of seconds. */
    static final long MAX_EVENT_TIME = 4_294_967_295L;
    private static final BigDecimal EVENT_TIME_LIMIT = BigDecimal.valueOf(MAX_EVENT_TIME + 1);
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,30}");

    private FieldReaders() {
    }

    /** A positive long from a JSON integer or a string of digits; null when absent (null token). */
    static Long id(JsonParser json, JsonToken token) throws IOException {
        long id;
        switch (token) {
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_NUMBER_INT -> id = integerId(json);
            case VALUE_STRING -> id = digitsId(json.getText());
            case VALUE_NUMBER_FLOAT -> throw new Rejection(DlqReason.INVALID_ID, "id " + json.getText() + " is not a whole number");
            default -> throw new Rejection(DlqReason.INVALID_ID, "id is " + describe(token) + ", not a whole number");
        }
        if (id <= 0) {
            throw new Rejection(DlqReason.INVALID_ID, "id " + id + " is not positive");
        }
        return id;
    }

    /** A string, or null. */
    static String text(JsonParser json, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new Rejection(DlqReason.WRONG_TYPE, field + " is " + describe(token) + ", expected a string or null");
        }
        return json.getText();
    }

    /** A 64-bit integer (lineage: LSN, epoch ms), or null. */
    static Long integer(JsonParser json, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Rejection(DlqReason.WRONG_TYPE, field + " is " + describe(token) + ", expected a 64-bit integer or null");
        }
        return json.getLongValue();
    }

    /** Unix seconds in [0, 4294967295], fractions floored; or null. */
    static Long eventTime(JsonParser json, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new Rejection(DlqReason.WRONG_TYPE, field + " is " + describe(token) + ", expected Unix seconds or null");
        }
        BigDecimal seconds = json.getDecimalValue();
        // Range first, on the exact value: compareTo looks at exponents before digits, so even
        // 1e999999999 costs nothing; flooring a huge exponent would build a huge number.
        if (seconds.signum() < 0 || seconds.compareTo(EVENT_TIME_LIMIT) >= 0) {
            throw new Rejection(DlqReason.EVENT_TIME_OUT_OF_RANGE,
                    field + " " + json.getText() + " is outside ClickHouse DateTime [0, " + MAX_EVENT_TIME + "] seconds");
        }
        if (seconds.signum() == 0 || seconds.precision() - seconds.scale() <= 0) {
            return 0L; // 0 <= value < 1, possibly with a huge scale such as 1e-999999999
        }
        return seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private static long integerId(JsonParser json) throws IOException {
        if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Rejection(DlqReason.INVALID_ID, "id " + json.getText() + " does not fit a 64-bit integer");
        }
        return json.getLongValue();
    }

    private static long digitsId(String text) {
        if (!DIGITS.matcher(text).matches()) {
            throw new Rejection(DlqReason.INVALID_ID, "id \"" + abbreviate(text) + "\" is not a string of digits");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Rejection(DlqReason.INVALID_ID, "id \"" + text + "\" does not fit a 64-bit integer");
        }
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
