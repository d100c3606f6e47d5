package org.userlogins.capture.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.events.DlqHeaders;

/**
 * Sends events to the events topic (key = id as decimal text), and rows it cannot convert to the
 * DLQ, and waits until Kafka acknowledged each. An event whose JSON is larger than {@code maxMessageBytes} (a TEXT column can hold a
 * gigabyte) would be refused by the broker on every retry and stall capture for good: it goes to
 * the DLQ instead, as a small record that names the row, and the row stays in PostgreSQL.
 */
public final class KafkaEventSender {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String dlqTopic;
    private final int maxMessageBytes;

    public KafkaEventSender(Producer<byte[], byte[]> producer, String topic, String dlqTopic, int maxMessageBytes) {
        this.producer = producer;
        this.topic = topic;
        this.dlqTopic = dlqTopic;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A row capture cannot convert: it goes to the DLQ with the reason, named by its id (null when even that is unreadable). */
    public record Reject(Long id, DlqReason reason, String detail) {
    }

    /**
     * Sends all events and the DLQ records of all rejects, flushes, then checks every
     * acknowledgement; returns only when Kafka stored them all, with the records that went to the
     * DLQ by reason.
     *
     * @throws SendFailedException when any failed
     */
    public Map<DlqReason, Integer> sendAll(List<UserEvent> events, List<Reject> rejects) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size() + rejects.size());
        Map<DlqReason, Integer> deadLettered = new EnumMap<>(DlqReason.class);
        for (UserEvent event : events) {
            byte[] key = Long.toString(event.id()).getBytes(StandardCharsets.US_ASCII);
            byte[] value = UserEventJson.write(event);
            if (value.length <= maxMessageBytes) {
                acks.add(producer.send(new ProducerRecord<>(topic, key, value)));
            } else {
                acks.add(producer.send(tooLarge(event, key, value.length)));
                deadLettered.merge(DlqReason.TOO_LARGE, 1, Integer::sum);
            }
        }
        for (Reject reject : rejects) {
            acks.add(producer.send(rejected(reject)));
            deadLettered.merge(reject.reason(), 1, Integer::sum);
        }
        try {
            producer.flush();
        } catch (InterruptException e) {
            // Kafka's unchecked form of an interrupt: the engine is closing; nothing of this batch is marked.
            throw new InterruptedException("interrupted while waiting for Kafka acks");
        }
        int failed = 0;
        Throwable firstError = null;
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                failed++;
                firstError = firstError == null ? e.getCause() : firstError;
            }
        }
        if (failed > 0) {
            throw new SendFailedException(failed, firstError);
        }
        return deadLettered;
    }

    /** The DLQ record of a row that cannot be converted: the id, the reason; the row itself stays in PostgreSQL. */
    ProducerRecord<byte[], byte[]> rejected(Reject reject) {
        byte[] key = reject.id() == null ? null : Long.toString(reject.id()).getBytes(StandardCharsets.US_ASCII);
        String summary = "{\"id\":" + reject.id() + "}";
        return new ProducerRecord<>(dlqTopic, null, key, summary.getBytes(StandardCharsets.UTF_8),
                dlqHeaders(reject.reason(), "row id " + reject.id() + ": " + reject.detail() + "; the row stays in PostgreSQL, flagged sent"));
    }

    /** The DLQ record of an event too large to send: the id and sizes, not the content (still in PostgreSQL). */
    ProducerRecord<byte[], byte[]> tooLarge(UserEvent event, byte[] key, int bytes) {
        String summary = "{\"id\":" + event.id() + ",\"bytes\":" + bytes
                + ",\"username_chars\":" + length(event.username()) + ",\"event_type_chars\":" + length(event.eventType()) + "}";
        return new ProducerRecord<>(dlqTopic, null, key, summary.getBytes(StandardCharsets.UTF_8),
                dlqHeaders(DlqReason.TOO_LARGE, "the event of row id " + event.id() + " is " + bytes + " bytes of JSON, over CAPTURE_MAX_MESSAGE_BYTES="
                        + maxMessageBytes + "; the row stays in PostgreSQL, the value here is a summary"));
    }

    private static Headers dlqHeaders(DlqReason reason, String detail) {
        Headers headers = new RecordHeaders();
        header(headers, DlqHeaders.REASON, reason.code());
        header(headers, DlqHeaders.DETAIL, detail);
        header(headers, DlqHeaders.SOURCE_TOPIC, DlqHeaders.CAPTURE_SOURCE);
        header(headers, DlqHeaders.TIME, Long.toString(System.currentTimeMillis()));
        header(headers, DlqHeaders.STAGE, DlqReason.Stage.CAPTURE.service());
        return headers;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static void header(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public static boolean isTransient(Throwable e) {
        Throwable cause = e instanceof SendFailedException ? e.getCause() : e;
        return cause instanceof RetriableException;
    }

    /**
     * Kafka did not take the batch for a reason that passes (unreachable, restarting, electing a
     * leader): capture waits for it however long it takes (WAL is retained meanwhile, and the slot
     * gauges show it), rather than exit after CAPTURE_RETRY_TIMEOUT and restart into the same outage.
     */
    public static final class KafkaUnavailable extends Exception implements Retrier.Waiting {
        KafkaUnavailable(Throwable cause) {
            super("Kafka is unavailable: " + cause.getMessage(), cause);
        }
    }

    /** Some records were not acknowledged: the claim rolls back and the whole batch is sent again. */
    public static final class SendFailedException extends RuntimeException {
        SendFailedException(int unacknowledged, Throwable cause) {
            super(unacknowledged + " records not acknowledged: " + cause, cause);
        }
    }
}
