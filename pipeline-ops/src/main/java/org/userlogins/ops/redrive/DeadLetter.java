package org.userlogins.ops.redrive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.userlogins.events.DlqHeaders;

/**
 * A DLQ record as the re-drive reads it: why it was rejected, where it came from, when, and how
 * many times it was re-driven before ({@code redrive.attempt}, carried along by every stage).
 */
record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String sourceTopic, String source, Instant time, int attempts) {

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        String sourceTopic = text(record.headers(), DlqHeaders.SOURCE_TOPIC, "");
        return new DeadLetter(record, text(record.headers(), DlqHeaders.REASON, "unknown"), sourceTopic,
                source(record, sourceTopic), time(record), attempts(record.headers()));
    }

    /**
     * The key of the re-drive ledger: the record this DLQ copy stands for, {@code topic-partition@offset}
     * from the {@code dlq.source.*} headers. Every copy of one source record has it (a batch
     * re-processed after a crash rejects the same record again), so one is re-driven and the others
     * are skipped. A DLQ record without a source position (capture's: {@code dlq.source.topic=postgresql},
     * the row stays in PostgreSQL) stands for itself: its own DLQ position.
     */
    private static String source(ConsumerRecord<byte[], byte[]> record, String sourceTopic) {
        String partition = text(record.headers(), DlqHeaders.SOURCE_PARTITION, "");
        String offset = text(record.headers(), DlqHeaders.SOURCE_OFFSET, "");
        return !sourceTopic.isEmpty() && isNumber(partition) && isNumber(offset)
                ? sourceTopic + "-" + partition + "@" + offset
                : record.topic() + "-" + coordinates(record);
    }

    /** The ledger's key before it was keyed by source record: the DLQ position, {@code partition@offset}. */
    String legacyLedgerKey() {
        return coordinates(record);
    }

    private static String coordinates(ConsumerRecord<byte[], byte[]> record) {
        return record.partition() + "@" + record.offset();
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    /** The original key and bytes to the topic they came from, with the attempt counted. */
    ProducerRecord<byte[], byte[]> redriven() {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith(DlqHeaders.PREFIX) && !h.key().startsWith(DlqHeaders.REDRIVE_PREFIX)) {
                headers.add(h);
            }
        }
        headers.add(DlqHeaders.REDRIVE_ATTEMPT, Integer.toString(attempts + 1).getBytes(StandardCharsets.UTF_8));
        headers.add(DlqHeaders.REDRIVE_FROM, (record.topic() + "-" + coordinates(record)).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(sourceTopic, null, record.key(), record.value(), headers);
    }

    private static Instant time(ConsumerRecord<byte[], byte[]> record) {
        String text = text(record.headers(), DlqHeaders.TIME, "");
        try {
            // Epoch milliseconds (both stages today); ISO-8601 from older writers.
            return text.chars().allMatch(Character::isDigit) && !text.isEmpty()
                    ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.ofEpochMilli(record.timestamp());
        }
    }

    private static int attempts(Headers headers) {
        try {
            return Integer.parseInt(text(headers, DlqHeaders.REDRIVE_ATTEMPT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(Headers headers, String name, String otherwise) {
        Header h = headers.lastHeader(name);
        return h == null ? otherwise : new String(h.value(), StandardCharsets.UTF_8);
    }
}
