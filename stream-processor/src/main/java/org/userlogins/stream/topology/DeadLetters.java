package org.userlogins.stream.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.userlogins.stream.validation.Verdict;
import org.userlogins.events.DlqHeaders;

/**
 * Builds the DLQ copy of a rejected record: the original key, value, timestamp and headers,
 * untouched, plus headers that say why and where from. Header values are UTF-8 text; numbers
 * are decimal (offsets, epoch milliseconds).
 */
public final class DeadLetters {
    private DeadLetters() {
    }

    static Record<byte[], byte[]> of(Record<byte[], byte[]> original, Verdict.Rejected why,
                                     Optional<RecordMetadata> source, long nowMs) {
        // A copy: the original Headers object belongs to the input record.
        Headers headers = new RecordHeaders(original.headers().toArray());
        add(headers, DlqHeaders.REASON, why.reason().code());
        add(headers, DlqHeaders.DETAIL, why.detail());
        source.ifPresent(meta -> {
            add(headers, DlqHeaders.SOURCE_TOPIC, meta.topic());
            add(headers, DlqHeaders.SOURCE_PARTITION, Integer.toString(meta.partition()));
            add(headers, DlqHeaders.SOURCE_OFFSET, Long.toString(meta.offset()));
        });
        add(headers, DlqHeaders.SOURCE_TIMESTAMP, Long.toString(original.timestamp()));
        add(headers, DlqHeaders.TIME, Long.toString(nowMs));
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
