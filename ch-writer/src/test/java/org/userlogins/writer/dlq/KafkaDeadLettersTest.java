package org.userlogins.writer.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason;
import org.userlogins.writer.testing.Records;

class KafkaDeadLettersTest {
    @Test
    void shouldSendTheOriginalBytesWithReasonAndSourceCoordinates() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        byte[] value = "{broken".getBytes(StandardCharsets.UTF_8);

        new KafkaDeadLetters(producer, "dlq").send(Records.raw(2, 17, value), DlqReason.MALFORMED_JSON, "bad");

        ProducerRecord<byte[], byte[]> out = producer.history().get(0);
        assertThat(out.topic()).isEqualTo("dlq");
        assertThat(out.value()).isEqualTo(value);
        assertThat(header(out, "dlq.reason")).isEqualTo("malformed_json");
        assertThat(header(out, "dlq.detail")).isEqualTo("bad");
        assertThat(header(out, "dlq.source.topic")).isEqualTo(Records.TOPIC);
        assertThat(header(out, "dlq.source.partition")).isEqualTo("2");
        assertThat(header(out, "dlq.source.offset")).isEqualTo("17");
        assertThat(out.headers().lastHeader("dlq.source.timestamp")).isNotNull();
        assertThat(out.headers().lastHeader("dlq.time")).isNotNull();
    }

    @Test
    void shouldSendSeveralRecordsAndReturnOnceEachIsAcknowledged() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

        new KafkaDeadLetters(producer, "dlq").sendAll(List.of(
                new DeadLetters.Letter(Records.record(0, 4, 1), DlqReason.CLICKHOUSE_REJECTED, "row 1"),
                new DeadLetters.Letter(Records.record(0, 9, 2), DlqReason.CLICKHOUSE_REJECTED_UNSORTED, "part")));

        assertThat(producer.history()).extracting(r -> header(r, "dlq.reason") + "@" + header(r, "dlq.source.offset"))
                .containsExactly("clickhouse_rejected@4", "clickhouse_rejected_unsorted@9");
        assertThat(producer.history().get(1).value()).isEqualTo(Records.record(0, 9, 2).value());
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
