package org.userlogins.stream.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.userlogins.stream.validation.Verdict;

/**
 * Builds the DLQ copy of a rejected record: the original key, value, timestamp and headers,
 * untouched, plus headers that say why and where from. Header values are UTF-8 text; numbers
 * are decimal (offsets, epoch milliseconds).
 */
public final class DeadLetters {
    public static final String REASON = "dlq.reason";
    public static final String DETAIL = "dlq.detail";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    public static final String SOURCE_TIMESTAMP = "dlq.source.timestamp";
    /** When the processor rejected it, epoch milliseconds. */
    public static final String TIME = "dlq.time";

    private DeadLetters() {
    }

    static Record<byte[], byte[]> of(Record<byte[], byte[]> original, Verdict.Rejected why,
                                     Optional<RecordMetadata> source, long nowMs) {
        // A copy: the original Headers object belongs to the input record.
        Headers headers = new RecordHeaders(original.headers().toArray());
        add(headers, REASON, why.reason().code());
        add(headers, DETAIL, why.detail());
        source.ifPresent(meta -> {
            add(headers, SOURCE_TOPIC, meta.topic());
            add(headers, SOURCE_PARTITION, Integer.toString(meta.partition()));
            add(headers, SOURCE_OFFSET, Long.toString(meta.offset()));
        });
        add(headers, SOURCE_TIMESTAMP, Long.toString(original.timestamp()));
        add(headers, TIME, Long.toString(nowMs));
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
