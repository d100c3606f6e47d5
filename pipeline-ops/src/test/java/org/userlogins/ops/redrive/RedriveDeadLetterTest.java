package org.userlogins.ops.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The re-drive ledger's key: the source record a DLQ copy stands for. */
class RedriveDeadLetterTest {
    @Test
    void shouldKeyTwoCopiesOfOneSourceRecordAlike() {
        DeadLetter first = DeadLetter.of(dlqRecord(0, 5, "user_events_clean", "2", "41"));
        DeadLetter second = DeadLetter.of(dlqRecord(1, 9, "user_events_clean", "2", "41"));

        assertThat(first.source()).isEqualTo("user_events_clean-2@41").isEqualTo(second.source());
        assertThat(first.legacyLedgerKey()).isEqualTo("0@5");
        assertThat(second.legacyLedgerKey()).isEqualTo("1@9");
    }

    @Test
    void shouldKeyTheProcessorsAndTheWritersRejectsOfTheSameNumbersApart() {
        assertThat(DeadLetter.of(dlqRecord(0, 5, "user_events", "2", "41")).source())
                .isNotEqualTo(DeadLetter.of(dlqRecord(0, 6, "user_events_clean", "2", "41")).source());
    }

    @Test
    void shouldKeyARecordWithoutASourcePositionByItsOwnDlqPosition() {
        // Capture's rejects: dlq.source.topic=postgresql, no partition or offset.
        assertThat(DeadLetter.of(dlqRecord(2, 17, "postgresql", null, null)).source()).isEqualTo("dlq-2@17");
        assertThat(DeadLetter.of(dlqRecord(2, 18, "user_events_clean", "x", "1")).source()).isEqualTo("dlq-2@18");
        assertThat(DeadLetter.of(dlqRecord(2, 19, null, "0", "1")).source()).isEqualTo("dlq-2@19");
    }

    @Test
    void shouldRepublishTheOriginalWithoutDlqHeadersAndWithTheAttemptCounted() {
        var out = DeadLetter.of(dlqRecord(0, 5, "user_events_clean", "2", "41")).redriven();

        assertThat(out.topic()).isEqualTo("user_events_clean");
        assertThat(new String(out.value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
        assertThat(out.headers().lastHeader("dlq.source.offset")).isNull();
        assertThat(new String(out.headers().lastHeader("redrive.attempt").value(), StandardCharsets.UTF_8)).isEqualTo("1");
        assertThat(new String(out.headers().lastHeader("redrive.from").value(), StandardCharsets.UTF_8)).isEqualTo("dlq-0@5");
    }

    private static ConsumerRecord<byte[], byte[]> dlqRecord(int partition, long offset, String sourceTopic, String sourcePartition, String sourceOffset) {
        RecordHeaders h = new RecordHeaders();
        h.add("dlq.reason", utf8("clickhouse_rejected"));
        if (sourceTopic != null) {
            h.add("dlq.source.topic", utf8(sourceTopic));
        }
        if (sourcePartition != null) {
            h.add("dlq.source.partition", utf8(sourcePartition));
        }
        if (sourceOffset != null) {
            h.add("dlq.source.offset", utf8(sourceOffset));
        }
        h.add("dlq.time", utf8("1764324000000"));
        return new ConsumerRecord<>("dlq", partition, offset, 0L, TimestampType.CREATE_TIME, 1, 8, utf8("7"), utf8("{\"id\":7}"),
                h, Optional.empty());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
