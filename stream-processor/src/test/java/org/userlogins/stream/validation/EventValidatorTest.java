package org.userlogins.stream.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;

class EventValidatorTest {
    private final EventValidator validator = new EventValidator(1024 * 1024);

    private Verdict validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    private UserEvent accepted(String json) {
        Verdict verdict = validate(json);
        assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
        return ((Verdict.Accepted) verdict).event();
    }

    private void assertRejected(String json, DlqReason reason) {
        Verdict verdict = validate(json);
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class, r -> {
            assertThat(r.reason()).as("reason for %s (detail: %s)", json, r.detail()).isEqualTo(reason);
            assertThat(r.detail()).isNotBlank();
        });
    }

    @Test
    void shouldAcceptTheContractsEventWithLineageUnchanged() {
        UserEvent event = accepted("{\"id\":42,\"username\":\"alice\",\"event_type\":\"login\",\"event_time\":1732400000,"
                + "\"source_lsn\":24023128,\"commit_ts_ms\":1732400000123,\"capture_ts_ms\":1732400000150}");
        assertThat(event).isEqualTo(new UserEvent(42, "alice", "login", 1732400000L, 24023128L, 1732400000123L, 1732400000150L));
    }

    @Test
    void shouldAcceptIdAsStringOfDigits() {
        assertThat(accepted("{\"id\":\"42\"}").id()).isEqualTo(42);
    }

    @Test
    void shouldAcceptTheLargestLongId() {
        assertThat(accepted("{\"id\":9223372036854775807}").id()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "event_time {0} -> {1}")
    @CsvSource({
            "1732400000, 1732400000",
            "1732400000.999, 1732400000",
            "1732400000.0, 1732400000",
            "1.7324E9, 1732400000",
            "0, 0",
            "0.5, 0",
            "1e-999, 0",
            "4294967295, 4294967295",
            "4294967295.999, 4294967295"})
    void shouldAcceptEventTimeInSecondsFlooringTheFraction(String raw, long expected) {
        assertThat(accepted("{\"id\":1,\"event_time\":" + raw + "}").eventTime()).isEqualTo(expected);
    }

    @Test
    void shouldAcceptNullOrMissingOptionalFields() {
        assertThat(accepted("{\"id\":1,\"username\":null,\"event_type\":null,\"event_time\":null}"))
                .isEqualTo(UserEvent.of(1, null, null, null));
        assertThat(accepted("{\"id\":1}")).isEqualTo(UserEvent.of(1, null, null, null));
    }

    @Test
    void shouldIgnoreExtraFieldsOfAnyShape() {
        assertThat(accepted("{\"extra\":{\"a\":[1,2,{\"b\":null}]},\"id\":7,\"more\":\"x\",\"username\":\"bob\"}"))
                .isEqualTo(UserEvent.of(7, "bob", null, null));
    }

    @Test
    void shouldRejectNullValueAsEmptyValue() {
        assertThat(validator.validate(null)).isInstanceOfSatisfying(Verdict.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(DlqReason.EMPTY_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "abc", "{\"id\":1", "{\"id\":1} trailing", "{\"id\":1}{\"id\":2}", "{id:1}", "{\"id\":01}"})
    void shouldRejectAsNotJsonWhenTheValueIsNotParseableJson(String raw) {
        assertRejected(raw, DlqReason.NOT_JSON);
    }

    @Test
    void shouldRejectAsNotJsonWhenTheBytesAreNotUtf8() {
        byte[] bytes = {'{', '"', 'u', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThat(validator.validate(bytes)).isInstanceOfSatisfying(Verdict.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(DlqReason.NOT_JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "42", "null", "true"})
    void shouldRejectAsNotObjectWhenTheJsonRootIsNotAnObject(String raw) {
        assertRejected(raw, DlqReason.NOT_OBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"id\":null}", "{\"username\":\"alice\",\"event_time\":1}"})
    void shouldRejectAsMissingIdWhenIdIsAbsentOrNull(String raw) {
        assertRejected(raw, DlqReason.MISSING_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "1.0", "1e3", "9223372036854775808", "\"99999999999999999999\"", "\"abc\"",
            "\"-1\"", "\" 1\"", "\"\"", "\"0\"", "true", "{}", "[1]"})
    void shouldRejectAsInvalidIdWhenIdIsNotAPositiveWholeLong(String id) {
        assertRejected("{\"id\":" + id + "}", DlqReason.INVALID_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"username\":5", "\"username\":{}", "\"username\":true", "\"event_type\":[\"login\"]",
            "\"event_time\":\"2024-01-01 00:00:00\"", "\"event_time\":\"1732400000\"", "\"event_time\":true",
            "\"event_time\":{}", "\"source_lsn\":\"x\"", "\"commit_ts_ms\":1.5", "\"capture_ts_ms\":99999999999999999999"})
    void shouldRejectAsWrongTypeWhenAKnownFieldHasAnotherType(String field) {
        assertRejected("{\"id\":1," + field + "}", DlqReason.WRONG_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-0.5", "4294967296", "4294967296.0", "1e999999999", "-1e999999999", "99999999999999999999"})
    void shouldRejectAsOutOfRangeWhenEventTimeIsOutsideClickHouseDateTime(String eventTime) {
        assertRejected("{\"id\":1,\"event_time\":" + eventTime + "}", DlqReason.EVENT_TIME_OUT_OF_RANGE);
    }

    @Test
    void shouldRejectAsDuplicateFieldWhenAKnownFieldAppearsTwice() {
        assertRejected("{\"id\":1,\"id\":2}", DlqReason.DUPLICATE_FIELD);
        assertRejected("{\"id\":1,\"event_time\":1,\"event_time\":2}", DlqReason.DUPLICATE_FIELD);
    }

    @Test
    void shouldRejectAsTooLargeWhenTheValueExceedsTheLimitAndAcceptOneAtTheLimit() {
        EventValidator small = new EventValidator(40);
        String atLimit = "{\"id\":1,\"username\":\"" + "a".repeat(40 - 22) + "\"}";
        assertThat(atLimit).hasSize(40);
        assertThat(small.validate(atLimit.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Verdict.Accepted.class);
        assertThat(small.validate((atLimit + " ").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(Verdict.Rejected.class, r -> assertThat(r.reason()).isEqualTo(DlqReason.TOO_LARGE));
    }

    @Test
    void shouldRejectAsTooComplexWhenNestingIsHostilyDeep() {
        int depth = 100_000;
        assertRejected("{\"id\":1,\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}", DlqReason.TOO_COMPLEX);
    }

    @Test
    void shouldRejectAsTooComplexWhenANumberIsAbsurdlyLong() {
        assertRejected("{\"id\":1,\"x\":" + "9".repeat(5000) + "}", DlqReason.TOO_COMPLEX);
    }
}
