package org.userlogins.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UserEventJsonTest {

    @Test
    void shouldRoundTripEveryFieldIncludingLineage() {
        UserEvent event = new UserEvent(42, "alice \"a\" \\ 😀", "login", 1732400000L, 24023128L, 1732400000123L, 1732400000150L);

        assertThat(UserEventJson.read(UserEventJson.write(event))).isEqualTo(event);
    }

    @Test
    void shouldWriteNullColumnsAsJsonNullAndLeaveOutMissingLineage() {
        String json = new String(UserEventJson.write(UserEvent.of(7, null, null, null)), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"id\":7,\"username\":null,\"event_type\":null,\"event_time\":null}");
        assertThat(UserEventJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(UserEvent.of(7, null, null, null));
    }

    @Test
    void shouldWriteEmojiAsLiteralUtf8() {
        String json = new String(UserEventJson.write(UserEvent.of(1, "😀", null, null)), StandardCharsets.UTF_8);

        assertThat(json).contains("\"username\":\"😀\"");
    }

    @Test
    void shouldRejectJsonWithoutId() {
        assertThatThrownBy(() -> UserEventJson.read("{\"username\":\"bob\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no id");
    }
}
