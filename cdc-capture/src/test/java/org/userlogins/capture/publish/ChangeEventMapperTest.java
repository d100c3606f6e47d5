package org.userlogins.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.userlogins.capture.publish.ChangeEventMapper.Kind;
import org.userlogins.events.DlqReason;
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
    void shouldPublishSnapshotReadsLikeInsertsWithLsnZero() {
        var decision = mapper.decide(TestRecords.change("r", TestRecords.row(1, "a", "b", 0L, false)));
        assertThat(decision.kind()).isEqualTo(Kind.PUBLISH);
        // The snapshot's LSN is new at every re-snapshot: the processor would take a re-read copy for a re-send.
        assertThat(decision.event().sourceLsn()).isEqualTo(ChangeEventMapper.SNAPSHOT_LSN);
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
    void shouldTakeUpdatesOfUnsentRowsAsCandidatesAndIgnoreDeletes() {
        // With the row filter an update arrives only while the row stays unsent; capture's own flag writes arrive as deletes.
        assertThat(mapper.decide(TestRecords.change("u", TestRecords.row(1, "a", "b", 0L, null))).kind()).isEqualTo(Kind.PUBLISH);
        assertThat(mapper.decide(TestRecords.change("u", TestRecords.row(1, "a", "b", 0L, true))).kind()).isEqualTo(Kind.ALREADY_SENT);
        assertThat(mapper.decide(TestRecords.change("d", null)).kind()).isEqualTo(Kind.NOT_A_ROW);
    }

    @Test
    void shouldRejectAColumnTypeItCannotConvertWithTheIdAndAReason() {
        var decision = mapper.decide(TestRecords.changeWithTextEventTime(7, "2025-06-01 12:00"));
        assertThat(decision.kind()).isEqualTo(Kind.REJECT);
        assertThat(decision.id()).isEqualTo(7L);
        assertThat(decision.reason()).isEqualTo(DlqReason.UNSUPPORTED_TYPE);
        assertThat(decision.detail()).contains("event_time");
    }

    @Test
    void shouldRejectAValueOfAnUnexpectedClassInsteadOfThrowing() {
        // What a ClassCastException looked like before: a schema that says one thing and a value of another class.
        // Connect's Struct refuses such a value on put, so the value is slipped in behind the schema, as a buggy converter could.
        var wrongClass = new org.apache.kafka.connect.source.SourceRecord(java.util.Map.of(), java.util.Map.of(), TestRecords.DESTINATION,
                null, null, TestRecords.ENVELOPE, new BrokenStruct(TestRecords.ENVELOPE, 9, "2025-06-01T12:00:00Z"));
        var decision = mapper.decide(wrongClass);
        assertThat(decision.kind()).isEqualTo(Kind.REJECT);
        assertThat(decision.id()).isEqualTo(9L);
        assertThat(decision.reason()).isEqualTo(DlqReason.BAD_VALUE);
    }

    /** An envelope whose after.event_time holds a String where its schema says MicroTimestamp (a long). */
    private static final class BrokenStruct extends org.apache.kafka.connect.data.Struct {
        private final org.apache.kafka.connect.data.Struct after;

        BrokenStruct(org.apache.kafka.connect.data.Schema schema, int id, String eventTime) {
            super(schema);
            put("op", "c");
            put("source", new org.apache.kafka.connect.data.Struct(TestRecords.SOURCE).put("ts_ms", 1L).put("lsn", 2L));
            after = new org.apache.kafka.connect.data.Struct(TestRecords.ROW) {
                @Override
                public Object get(String fieldName) {
                    return "event_time".equals(fieldName) ? eventTime : super.get(fieldName);
                }

                @Override
                public Object get(org.apache.kafka.connect.data.Field field) {
                    return "event_time".equals(field.name()) ? eventTime : super.get(field);
                }
            }.put("id", id).put("sent_to_kafka", false);
        }

        @Override
        public org.apache.kafka.connect.data.Struct getStruct(String fieldName) {
            return "after".equals(fieldName) ? after : super.getStruct(fieldName);
        }
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
