package org.userlogins.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {
    private static final String EXPOSITION = """
            # HELP capture_events_published_total events acknowledged by Kafka
            # TYPE capture_events_published_total counter
            capture_events_published_total 1234.0
            capture_events_published_total_other 99.0
            stream_processor_records_rejected_total{reason="bad_json"} 2.0
            stream_processor_records_rejected_total{reason="missing_field"} 3.0 1700000000000
            """;

    @Test
    void shouldReadACounterAndSumItsLabelSets() {
        assertThat(ServiceProcess.counter(EXPOSITION, "capture_events_published_total")).isEqualTo(1_234);
        assertThat(ServiceProcess.counter(EXPOSITION, "stream_processor_records_rejected_total")).isEqualTo(5);
        assertThat(ServiceProcess.counter(EXPOSITION, "writer_rows_inserted_total")).isZero();
    }
}
