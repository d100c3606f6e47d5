package org.userlogins.writer.redrive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A DLQ record as the re-drive reads it: why it was rejected, where it came from, when, and how
 * many times it was re-driven before ({@code redrive.attempt}, carried along by every stage).
 */
record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String sourceTopic, Instant time, int attempts) {
    static final String ATTEMPT = "redrive.attempt";
    static final String FROM = "redrive.from";

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(record, text(record.headers(), "dlq.reason", "unknown"),
                text(record.headers(), "dlq.source.topic", ""), time(record), attempts(record.headers()));
    }

    /** The DLQ coordinates, the key of the re-drive ledger. */
    String coordinates() {
        return record.partition() + "@" + record.offset();
    }

    /** The original key and bytes to the topic they came from, with the attempt counted. */
    ProducerRecord<byte[], byte[]> redriven() {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith("dlq.") && !h.key().startsWith("redrive.")) {
                headers.add(h);
            }
        }
        headers.add(ATTEMPT, Integer.toString(attempts + 1).getBytes(StandardCharsets.UTF_8));
        headers.add(FROM, (record.topic() + "-" + coordinates()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(sourceTopic, null, record.key(), record.value(), headers);
    }

    private static Instant time(ConsumerRecord<byte[], byte[]> record) {
        String text = text(record.headers(), "dlq.time", "");
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
            return Integer.parseInt(text(headers, ATTEMPT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(Headers headers, String name, String otherwise) {
        Header h = headers.lastHeader(name);
        return h == null ? otherwise : new String(h.value(), StandardCharsets.UTF_8);
    }
}
