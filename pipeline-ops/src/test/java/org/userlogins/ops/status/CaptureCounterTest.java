package org.userlogins.ops.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureCounterTest {
    private static final String METRICS = """
            # HELP capture_events_published_total events acknowledged by Kafka
            # TYPE capture_events_published_total counter
            capture_events_published_total 12345.0
            capture_events_published_total_extra 7.0
            capture_events_flagged_total{stage="x"} 3.0
            """;

    @Test
    void shouldReadACounterByItsExactName() {
        assertThat(CaptureCounter.value(METRICS, "capture_events_published_total")).isEqualTo(12_345);
        assertThat(CaptureCounter.value(METRICS, "capture_events_flagged_total")).isEqualTo(3);
        assertThat(CaptureCounter.value(METRICS, "capture_events_captured_total")).isEqualTo(-1);
        assertThat(CaptureCounter.value("capture_events_published_total NaN-ish", "capture_events_published_total")).isEqualTo(-1);
    }
}
