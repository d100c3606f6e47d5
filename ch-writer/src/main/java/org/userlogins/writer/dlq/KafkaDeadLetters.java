package org.userlogins.writer.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.events.DlqHeaders;
import org.userlogins.events.DlqReason;

/**
 * Sends the original key and bytes to the DLQ topic with the reason and the source coordinates in
 * headers, and waits for the broker's ack: the source offset is committed after this, so the DLQ
 * record must exist first. Rare by design (the processor validates), so synchronous is fine.
 */
public final class KafkaDeadLetters implements DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public KafkaDeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void send(ConsumerRecord<byte[], byte[]> source, DlqReason reason, String detail) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, source.key(), source.value(),
                headers(source, reason, detail, Instant.now()));
        awaitAck(producer.send(record), source);
        LOG.warn("sent {}-{}@{} to DLQ {}: {} ({})", source.topic(), source.partition(), source.offset(), topic, reason.code(), detail);
    }

    /**
     * Waits for Kafka's acknowledgement of the DLQ copy of {@code source}. A failure that passes
     * (timeout, no leader) is a {@link DlqUnavailableException}, which the writer waits out; any other stops it.
     */
    private void awaitAck(Future<RecordMetadata> ack, ConsumerRecord<byte[], byte[]> source) {
        try {
            ack.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while sending to DLQ " + topic, e);
        } catch (TimeoutException e) {
            throw new DlqUnavailableException("Kafka did not acknowledge the DLQ copy of " + coordinates(source) + " within 60 s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                throw new DlqUnavailableException("cannot send record " + coordinates(source) + " to DLQ " + topic + " yet: "
                        + e.getCause().getMessage(), e.getCause());
            }
            throw new KafkaException("cannot send record " + coordinates(source) + " to DLQ " + topic + ": " + e.getMessage(), e);
        }
    }

    private static String coordinates(ConsumerRecord<?, ?> source) {
        return source.topic() + "-" + source.partition() + "@" + source.offset();
    }

    /**
     * All sent at once, then every ack awaited: the rows a rejected insert leaves (up to a whole
     * partition's range) cost one round trip, not one per record. One log line per call.
     */
    @Override
    public void sendAll(List<Letter> letters) {
        if (letters.size() <= 1) {
            letters.forEach(l -> send(l.source(), l.reason(), l.detail()));
            return;
        }
        Instant now = Instant.now();
        List<Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
        for (Letter l : letters) {
            ConsumerRecord<byte[], byte[]> source = l.source();
            acks.add(producer.send(new ProducerRecord<>(topic, null, source.key(), source.value(), headers(source, l.reason(), l.detail(), now))));
        }
        for (int i = 0; i < acks.size(); i++) {
            awaitAck(acks.get(i), letters.get(i).source());
        }
        Map<String, Integer> byReason = new TreeMap<>();
        letters.forEach(l -> byReason.merge(l.reason().code(), 1, Integer::sum));
        LOG.warn("sent {} records to DLQ {} ({}), the first {}-{}@{}: {}", letters.size(), topic, byReason,
                letters.get(0).source().topic(), letters.get(0).source().partition(), letters.get(0).source().offset(),
                letters.get(0).detail());
    }

    /**
     * The source's own headers (a re-driven record keeps its {@code redrive.attempt}), without any
     * earlier {@code dlq.*} ones, then ours. Times are epoch milliseconds, as the processor writes them.
     */
    static Headers headers(ConsumerRecord<?, ?> source, DlqReason reason, String detail, Instant now) {
        Headers h = new RecordHeaders();
        for (Header header : source.headers()) {
            if (!header.key().startsWith(DlqHeaders.PREFIX)) {
                h.add(header);
            }
        }
        h.add(DlqHeaders.REASON, utf8(reason.code()));
        h.add(DlqHeaders.DETAIL, utf8(detail == null ? "" : detail));
        h.add(DlqHeaders.SOURCE_TOPIC, utf8(source.topic()));
        h.add(DlqHeaders.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        h.add(DlqHeaders.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        h.add(DlqHeaders.SOURCE_TIMESTAMP, utf8(Long.toString(source.timestamp())));
        h.add(DlqHeaders.TIME, utf8(Long.toString(now.toEpochMilli())));
        h.add(DlqHeaders.STAGE, utf8(DlqReason.Stage.WRITER.service()));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
