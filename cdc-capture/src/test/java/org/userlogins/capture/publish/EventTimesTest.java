package org.userlogins.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class EventTimesTest {
    private final EventTimes utc = new EventTimes(ZoneId.of("UTC"));

    /** Microseconds of a wall clock read as UTC, the way Debezium's MicroTimestamp encodes a TIMESTAMP. */
    private static long micros(String wallClock) {
        return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.parse(wallClock));
    }

    @Test
    void shouldKeepNullAsNull() {
        assertThat(utc.toUnixSeconds(null)).isNull();
    }

    @Test
    void shouldTruncateSubSecondDigits() {
        assertThat(utc.toUnixSeconds(micros("2024-11-23T22:13:20.999999"))).isEqualTo(1_732_400_000L);
        assertThat(utc.toUnixSeconds(0L)).isZero();
        assertThat(utc.toUnixSeconds(999_999L)).isZero();
    }

    @Test
    void shouldFloorBeforeNineteenSeventy() {
        assertThat(utc.toUnixSeconds(micros("1969-12-31T23:59:59.500"))).isEqualTo(-1L);
        assertThat(utc.toUnixSeconds(-1L)).isEqualTo(-1L);
        assertThat(utc.toUnixSeconds(-1_000_000L)).isEqualTo(-1L);
        assertThat(utc.toUnixSeconds(-1_000_001L)).isEqualTo(-2L);
        assertThat(utc.toUnixSeconds(micros("1900-01-01T00:00:00"))).isEqualTo(-2_208_988_800L);
    }

    @Test
    void shouldNotRangeCheckFarFutureTimes() {
        assertThat(utc.toUnixSeconds(micros("2106-02-07T06:28:16"))).isEqualTo(4_294_967_296L);
        assertThat(utc.toUnixSeconds(micros("9999-12-31T23:59:59.999999"))).isEqualTo(253_402_300_799L);
        assertThat(utc.toUnixSeconds(Long.MAX_VALUE)).isEqualTo(Math.floorDiv(Long.MAX_VALUE, 1_000_000L));
    }

    @Test
    void shouldReadTheWallClockInTheConfiguredZone() {
        assertThat(new EventTimes(ZoneOffset.ofHours(3)).toUnixSeconds(micros("1970-01-01T03:00:00"))).isZero();
        EventTimes berlin = new EventTimes(ZoneId.of("Europe/Berlin"));
        assertThat(berlin.toUnixSeconds(micros("2024-01-15T13:00:00"))).isEqualTo(micros("2024-01-15T12:00:00") / 1_000_000);
        assertThat(berlin.toUnixSeconds(micros("2024-07-15T14:00:00.7"))).isEqualTo(micros("2024-07-15T12:00:00") / 1_000_000);
    }

    @Test
    void shouldConvertTheLargestMicroTimestampInARegionZone() {
        assertThat(new EventTimes(ZoneId.of("Europe/Berlin")).toUnixSeconds(Long.MAX_VALUE))
                .isEqualTo(Math.floorDiv(Long.MAX_VALUE, 1_000_000L) - 3600);
    }
}
