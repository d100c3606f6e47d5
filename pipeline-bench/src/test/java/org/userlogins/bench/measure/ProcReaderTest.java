package org.userlogins.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcReaderTest {
    @Test
    void shouldReadCpuTimesAfterTheLastParenthesisWhenTheNameHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 89 10 20 0 40 0 123456 0 0";

        assertThat(ProcReader.parseCpuTimes(stat)).containsExactly(1234, 567, 89, 10);
        assertThat(ProcReader.parsePpid(stat)).isEqualTo(1);
    }

    @Test
    void shouldReadTheKilobytesOfTheNamedLine() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 999999 kB", "VmRSS:\t  401234 kB", "Threads:\t40");

        assertThat(ProcReader.parseKilobytes(status, "VmRSS:")).isEqualTo(401_234);
        assertThat(ProcReader.parseKilobytes(status, "Pss:")).isZero();
    }

    @Test
    void shouldCountTicksOfProcessesInBothReadingsAndAllOfANewOneButNothingForOneThatExited() {
        ProcReader.Reading before = new ProcReader.Reading(0, Map.of(1L, 100L, 2L, 50L, 3L, 500L), 0);
        ProcReader.Reading after = new ProcReader.Reading(0, Map.of(1L, 110L, 2L, 55L, 4L, 7L), 0);

        assertThat(after.ticksSince(before)).isEqualTo(10 + 5 + 7);
    }

    @Test
    void shouldCountACpuPhaseOfAChildThatExitedWithinItByItsParentsReapedTicks() {
        // pid 2 (a backend) had used 50 ticks when the phase began; it ended within the phase after 80 in all
        ProcReader.Reading before = new ProcReader.Reading(0, Map.of(1L, 100L, 2L, 50L), 1_000);
        ProcReader.Reading after = new ProcReader.Reading(0, Map.of(1L, 110L, 5L, 4L), 1_080);

        // 10 of the parent, 30 of pid 2 within the phase, 4 of a new backend: 44 ticks = 440 ms, over 2,000 rows
        assertThat(CpuMeter.msPer1000Rows(Map.of("postgres", before), Map.of("postgres", after), 2_000))
                .containsEntry("postgres", 220.0);
    }
}
