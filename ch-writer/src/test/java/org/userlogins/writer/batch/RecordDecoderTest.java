package org.userlogins.writer.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.writer.testing.Records;

class RecordDecoderTest {
    private final RecordDecoder decoder = new RecordDecoder();

    @Test
    void shouldReadAnEventWithItsCoordinates() throws Exception {
        Row row = decoder.decode(Records.record(2, 42, 7));

        assertThat(row.event()).isEqualTo(UserEvent.of(7, "user7", "login", 1_732_400_000L));
        assertThat(row.partition()).isEqualTo(2);
        assertThat(row.offset()).isEqualTo(42);
    }

    @Test
    void shouldAcceptTheBoundaryTimes() throws Exception {
        assertThat(decode(UserEvent.of(1, null, null, 0L)).event().eventTime()).isZero();
        assertThat(decode(UserEvent.of(1, null, null, 4_294_967_295L)).event().eventTime()).isEqualTo(4_294_967_295L);
    }

    @Test
    void shouldRejectMalformedJsonAndValuesOutsideTheColumns() {
        assertThatThrownBy(() -> decoder.decode(Records.raw(0, 0, "{not json".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(RecordDecoder.RejectedRecord.class, e -> assertThat(e.reason()).isEqualTo(DlqReason.MALFORMED_JSON));
        assertThatThrownBy(() -> decoder.decode(Records.raw(0, 0, null)))
                .isInstanceOfSatisfying(RecordDecoder.RejectedRecord.class, e -> assertThat(e.reason()).isEqualTo(DlqReason.NULL_VALUE));
        assertThatThrownBy(() -> decode(UserEvent.of(1, null, null, 4_294_967_296L)))
                .isInstanceOfSatisfying(RecordDecoder.RejectedRecord.class, e -> assertThat(e.reason()).isEqualTo(DlqReason.VALUE_OUT_OF_RANGE))
                .hasMessageContaining("event_time");
        assertThatThrownBy(() -> decode(UserEvent.of(-1, null, null, null))).hasMessageContaining("id -1");
        assertThatThrownBy(() -> decode(new UserEvent(1, null, null, null, null, Long.MAX_VALUE, null)))
                .hasMessageContaining("commit_ts_ms");
    }

    private Row decode(UserEvent event) throws RecordDecoder.RejectedRecord {
        return decoder.decode(Records.raw(0, 0, UserEventJson.write(event)));
    }
}
