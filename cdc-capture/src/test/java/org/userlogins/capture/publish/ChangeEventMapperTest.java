package org.userlogins.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.userlogins.capture.publish.ChangeEventMapper.Kind;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

class ChangeEventMapperTest {
    private final ChangeEventMapper mapper = new ChangeEventMapper(TestRecords.DESTINATION, new EventTimes(ZoneOffset.UTC));

    @Test
    void shouldBuildTheEventFromTheAfterImageAndTheSourceBlock() {
        var decision = mapper.decide(TestRecords.change("c", TestRecords.row(42, "alice", "login", 1_732_400_000_999_999L, false)));

        assertThat(decision.kind()).isEqualTo(Kind.PUBLISH);
        assertThat(decision.event()).isEqualTo(new UserEvent(42, "alice", "login", 1_732_400_000L, 24_023_128L, 1_700_000_000_123L, 1_700_000_000_150L));
    }

    @Test
    void shouldPublishSnapshotReadsLikeInserts() {
        assertThat(mapper.decide(TestRecords.change("r", TestRecords.row(1, "a", "b", 0L, false))).kind()).isEqualTo(Kind.PUBLISH);
    }

    @Test
    void shouldKeepNullColumnsNull() {
        var decision = mapper.decide(TestRecords.change("c", TestRecords.row(7, null, null, null, null)));

        assertThat(decision.kind()).isEqualTo(Kind.PUBLISH);
        assertThat(new String(UserEventJson.write(decision.event())))
                .startsWith("{\"id\":7,\"username\":null,\"event_type\":null,\"event_time\":null,");
    }

    @Test
    void shouldSkipRowsInsertedAsAlreadySent() {
        assertThat(mapper.decide(TestRecords.change("c", TestRecords.row(3, "bob", "login", 0L, true))).kind()).isEqualTo(Kind.ALREADY_SENT);
    }

    @Test
    void shouldIgnoreHeartbeatsMessagesAndOtherDestinations() {
        assertThat(mapper.decide(TestRecords.heartbeat()).kind()).isEqualTo(Kind.NOT_A_ROW);
        var onOtherTable = new ChangeEventMapper("test_slot.public.other", new EventTimes(ZoneOffset.UTC));
        assertThat(onOtherTable.decide(TestRecords.insert(1, "a")).kind()).isEqualTo(Kind.NOT_A_ROW);
    }

    @Test
    void shouldIgnoreUpdatesAndDeletesShouldTheyArrive() {
        assertThat(mapper.decide(TestRecords.change("u", TestRecords.row(1, "a", "b", 0L, true))).kind()).isEqualTo(Kind.NOT_A_ROW);
        assertThat(mapper.decide(TestRecords.change("d", null)).kind()).isEqualTo(Kind.NOT_A_ROW);
    }

    @Test
    void shouldCarryUnicodeQuotesAndBackslashesIntoValidJson() {
        String name = "Zoë \"q\" \\ 😀 \n tab\t";
        var decision = mapper.decide(TestRecords.change("c", TestRecords.row(9, name, "логин", 0L, false)));

        UserEvent back = UserEventJson.read(UserEventJson.write(decision.event()));
        assertThat(back.username()).isEqualTo(name);
        assertThat(back.eventType()).isEqualTo("логин");
    }
}
