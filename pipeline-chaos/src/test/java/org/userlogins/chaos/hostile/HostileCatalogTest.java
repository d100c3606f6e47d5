package org.userlogins.chaos.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.validation.EventValidator;
import org.userlogins.stream.validation.Verdict;

class HostileCatalogTest {
    private static final int PROCESSOR_LIMIT = ProcessorSettings.DEFAULT_MAX_MESSAGE_BYTES;
    /** The broker's default max.message.bytes (the local stack does not change it). */
    private static final int BROKER_LIMIT = 1_048_588;

    private final List<HostileMessage> burst = HostileCatalog.burst("hostile-7-0-");

    @Test
    void shouldGetTheExpectedReasonFromTheRealValidatorWhenTheBrokerAcceptsTheRecord() {
        EventValidator validator = new EventValidator(PROCESSOR_LIMIT);
        for (HostileMessage m : burst) {
            if (!m.refusedAtTheDoor()) {
                assertThat(validator.validate(m.value())).as(m.what())
                        .isInstanceOfSatisfying(Verdict.Rejected.class, r -> assertThat(r.reason().code()).isEqualTo(m.expected()));
            }
        }
    }

    @Test
    void shouldBeLargerThanTheBrokerLimitWhenExpectedToBeRefusedAtTheDoor() {
        assertThat(burst).filteredOn(HostileMessage::refusedAtTheDoor).isNotEmpty()
                .allSatisfy(m -> assertThat(m.size()).isGreaterThan(BROKER_LIMIT));
        assertThat(burst).filteredOn(m -> !m.refusedAtTheDoor()).allSatisfy(m -> assertThat(m.size()).isLessThan(BROKER_LIMIT - 1024));
    }

    @Test
    void shouldUseUniqueNonNumericKeysWhenTheTopicIsCompacted() {
        assertThat(burst).extracting(HostileMessage::key).doesNotHaveDuplicates()
                .allSatisfy(k -> assertThat(k).startsWith("hostile-7-0-").doesNotMatch("[0-9]+"));
    }

    @Test
    void shouldCoverEveryKindOfHostileInputWhenBuilt() {
        assertThat(burst).extracting(HostileMessage::expected).contains("not_json", "not_object", "missing_id", "invalid_id",
                "wrong_type", "duplicate_field", "event_time_out_of_range", "too_complex", "empty_value", HostileMessage.REFUSED_BY_BROKER);
        assertThat(burst).anyMatch(m -> m.size() > 900 * 1024 && m.size() < 1024 * 1024);
    }
}
