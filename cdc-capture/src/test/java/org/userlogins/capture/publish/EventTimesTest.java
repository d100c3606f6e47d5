package org.userlogins.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason;

class EventTimesTest {
    private static final Schema MICROS = SchemaBuilder.int64().name(EventTimes.MICRO_TIMESTAMP).optional().build();
    private static final Schema MILLIS = SchemaBuilder.int64().name(EventTimes.TIMESTAMP).optional().build();
    private static final Schema NANOS = SchemaBuilder.int64().name(EventTimes.NANO_TIMESTAMP).optional().build();
    private static final Schema ZONED = SchemaBuilder.string().name(EventTimes.ZONED_TIMESTAMP).optional().build();
    private final EventTimes utc = new EventTimes(ZoneId.of("UTC"));

    /** Microseconds of a wall clock read as UTC, the way Debezium's MicroTimestamp encodes a TIMESTAMP. */
    private static long micros(String wallClock) {
        return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.parse(wallClock));
    }

    @Test
    void shouldKeepNullAsNull() {
        assertThat(utc.toUnixSeconds(MICROS, null)).isNull();
    }

    @Test
    void shouldTruncateSubSecondDigits() {
        assertThat(utc.toUnixSeconds(MICROS, micros("2024-11-23T22:13:20.999999"))).isEqualTo(1_732_400_000L);
        assertThat(utc.toUnixSeconds(MICROS, 0L)).isZero();
        assertThat(utc.toUnixSeconds(MICROS, 999_999L)).isZero();
    }

    @Test
    void shouldFloorBeforeNineteenSeventy() {
        assertThat(utc.toUnixSeconds(MICROS, micros("1969-12-31T23:59:59.500"))).isEqualTo(-1L);
        assertThat(utc.toUnixSeconds(MICROS, -1L)).isEqualTo(-1L);
        assertThat(utc.toUnixSeconds(MICROS, -1_000_000L)).isEqualTo(-1L);
        assertThat(utc.toUnixSeconds(MICROS, -1_000_001L)).isEqualTo(-2L);
        assertThat(utc.toUnixSeconds(MICROS, micros("1900-01-01T00:00:00"))).isEqualTo(-2_208_988_800L);
    }

    @Test
    void shouldNotRangeCheckFarFutureTimes() {
        assertThat(utc.toUnixSeconds(MICROS, micros("2106-02-07T06:28:16"))).isEqualTo(4_294_967_296L);
        assertThat(utc.toUnixSeconds(MICROS, micros("9999-12-31T23:59:59.999999"))).isEqualTo(253_402_300_799L);
        assertThat(utc.toUnixSeconds(MICROS, Long.MAX_VALUE)).isEqualTo(Math.floorDiv(Long.MAX_VALUE, 1_000_000L));
    }

    @Test
    void shouldReadTheWallClockInTheConfiguredZone() {
        assertThat(new EventTimes(ZoneOffset.ofHours(3)).toUnixSeconds(MICROS, micros("1970-01-01T03:00:00"))).isZero();
        EventTimes berlin = new EventTimes(ZoneId.of("Europe/Berlin"));
        assertThat(berlin.toUnixSeconds(MICROS, micros("2024-01-15T13:00:00"))).isEqualTo(micros("2024-01-15T12:00:00") / 1_000_000);
        assertThat(berlin.toUnixSeconds(MICROS, micros("2024-07-15T14:00:00.7"))).isEqualTo(micros("2024-07-15T12:00:00") / 1_000_000);
    }

    @Test
    void shouldConvertTheLargestMicroTimestampInARegionZone() {
        assertThat(new EventTimes(ZoneId.of("Europe/Berlin")).toUnixSeconds(MICROS, Long.MAX_VALUE))
                .isEqualTo(Math.floorDiv(Long.MAX_VALUE, 1_000_000L) - 3600);
    }

    @Test
    void shouldReadTimestampUpToPrecisionThreeAsMillisecondsNotMicroseconds() {
        // timestamp(0..3): io.debezium.time.Timestamp. Read as microseconds it became 1970-01-21 (the bug this guards).
        long millis = micros("2025-06-01T12:00:00.123") / 1_000;
        assertThat(utc.toUnixSeconds(MILLIS, millis)).isEqualTo(1_748_779_200L);
        assertThat(utc.toUnixSeconds(MILLIS, -1L)).isEqualTo(-1L);
        assertThat(new EventTimes(ZoneOffset.ofHours(3)).toUnixSeconds(MILLIS, millis)).isEqualTo(1_748_779_200L - 3 * 3600);
    }

    @Test
    void shouldReadNanoAndConnectTimestamps() {
        assertThat(utc.toUnixSeconds(NANOS, micros("2025-06-01T12:00:00.999") * 1_000)).isEqualTo(1_748_779_200L);
        assertThat(utc.toUnixSeconds(Timestamp.SCHEMA, new java.util.Date(1_748_779_200_999L))).isEqualTo(1_748_779_200L);
    }

    @Test
    void shouldReadTimestamptzAsTheInstantWhateverTheConfiguredZone() {
        EventTimes berlin = new EventTimes(ZoneId.of("Europe/Berlin"));
        assertThat(berlin.toUnixSeconds(ZONED, "2025-06-01T12:00:00.123Z")).isEqualTo(1_748_779_200L);
        assertThat(utc.toUnixSeconds(ZONED, "2025-06-01T12:00:00Z")).isEqualTo(1_748_779_200L);
        assertThat(utc.toUnixSeconds(ZONED, "2025-06-01T15:00:00.5+03:00")).isEqualTo(1_748_779_200L);
        assertThat(utc.toUnixSeconds(ZONED, "1969-12-31T23:59:59.5Z")).isEqualTo(-1L);
    }

    @Test
    void shouldRefuseWhatIsNotATimestampWithAReasonInsteadOfThrowingAnythingElse() {
        assertThatThrownBy(() -> utc.toUnixSeconds(Schema.OPTIONAL_STRING_SCHEMA, "2025-06-01 12:00"))
                .isInstanceOf(EventTimes.UnconvertibleValue.class).hasMessageContaining("timestamp(p), timestamptz(p)")
                .extracting(e -> ((EventTimes.UnconvertibleValue) e).reason()).isEqualTo(DlqReason.UNSUPPORTED_TYPE);
        assertThatThrownBy(() -> utc.toUnixSeconds(SchemaBuilder.int32().name("io.debezium.time.Date").build(), 20_000))
                .isInstanceOf(EventTimes.UnconvertibleValue.class).hasMessageContaining("io.debezium.time.Date");
        assertThatThrownBy(() -> utc.toUnixSeconds(ZONED, "infinity"))
                .isInstanceOf(EventTimes.UnconvertibleValue.class)
                .extracting(e -> ((EventTimes.UnconvertibleValue) e).reason()).isEqualTo(DlqReason.BAD_VALUE);
        assertThatThrownBy(() -> utc.toUnixSeconds(MICROS, "not a long"))
                .isInstanceOf(EventTimes.UnconvertibleValue.class)
                .extracting(e -> ((EventTimes.UnconvertibleValue) e).reason()).isEqualTo(DlqReason.BAD_VALUE);
    }
}
