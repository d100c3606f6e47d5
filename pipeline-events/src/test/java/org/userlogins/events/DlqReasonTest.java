package org.userlogins.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason.Stage;

class DlqReasonTest {

    /** The wire codes as records in a DLQ, re-drive filters, reconcile and alerts read them: a rename must fail here. */
    @Test
    void shouldKeepEveryWireCodeWhenTheEnumChanges() {
        Map<DlqReason, String> codes = new LinkedHashMap<>();
        Arrays.stream(DlqReason.values()).forEach(r -> codes.put(r, r.code()));

        assertThat(codes).containsOnly(
                entry(DlqReason.NOT_JSON, "not_json"),
                entry(DlqReason.NOT_OBJECT, "not_object"),
                entry(DlqReason.EMPTY_VALUE, "empty_value"),
                entry(DlqReason.MISSING_ID, "missing_id"),
                entry(DlqReason.INVALID_ID, "invalid_id"),
                entry(DlqReason.WRONG_TYPE, "wrong_type"),
                entry(DlqReason.DUPLICATE_FIELD, "duplicate_field"),
                entry(DlqReason.EVENT_TIME_OUT_OF_RANGE, "event_time_out_of_range"),
                entry(DlqReason.TOO_COMPLEX, "too_complex"),
                entry(DlqReason.TOO_LARGE, "too_large"),
                entry(DlqReason.UNSUPPORTED_TYPE, "unsupported_type"),
                entry(DlqReason.BAD_VALUE, "bad_value"),
                entry(DlqReason.NULL_VALUE, "null_value"),
                entry(DlqReason.MALFORMED_JSON, "malformed_json"),
                entry(DlqReason.VALUE_OUT_OF_RANGE, "value_out_of_range"),
                entry(DlqReason.CLICKHOUSE_REJECTED, "clickhouse_rejected"),
                entry(DlqReason.CLICKHOUSE_REJECTED_UNSORTED, "clickhouse_rejected_unsorted"));
    }

    @Test
    void shouldGiveEachReasonItsOwnCode() {
        assertThat(DlqReason.values()).extracting(DlqReason::code).doesNotHaveDuplicates()
                .allSatisfy(code -> assertThat(code).matches("[a-z_]+"));
    }

    @Test
    void shouldNameTheStagesThatEmitEachReason() {
        assertThat(DlqReason.values()).allSatisfy(r -> assertThat(r.stages()).isNotEmpty());
        assertThat(DlqReason.TOO_LARGE.stages()).containsExactlyInAnyOrder(Stage.CAPTURE, Stage.PROCESSOR);
        assertThat(DlqReason.of(Stage.CAPTURE)).containsExactly(DlqReason.TOO_LARGE, DlqReason.UNSUPPORTED_TYPE, DlqReason.BAD_VALUE);
        assertThat(DlqReason.of(Stage.WRITER)).containsExactly(DlqReason.NULL_VALUE, DlqReason.MALFORMED_JSON,
                DlqReason.VALUE_OUT_OF_RANGE, DlqReason.CLICKHOUSE_REJECTED, DlqReason.CLICKHOUSE_REJECTED_UNSORTED);
        assertThat(DlqReason.of(Stage.PROCESSOR)).hasSize(10).contains(DlqReason.TOO_LARGE).doesNotContain(DlqReason.MALFORMED_JSON);
    }

    @Test
    void shouldUseTheServiceNamesTheStageHeaderCarries() {
        assertThat(Stage.values()).extracting(Stage::service).containsExactly("cdc-capture", "stream-processor", "ch-writer");
    }
}
