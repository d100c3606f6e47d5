package org.userlogins.capture.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;

/** Sends events to the events topic (key = id as decimal text) and waits until Kafka acknowledged each. */
public final class KafkaEventSender {
    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public KafkaEventSender(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Sends all, flushes, then checks every acknowledgement; returns only when Kafka stored them all.
     *
     * @throws SendFailedException with the unacknowledged events, when any failed
     */
    public void sendAll(List<UserEvent> events) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (UserEvent event : events) {
            byte[] key = Long.toString(event.id()).getBytes(StandardCharsets.US_ASCII);
            acks.add(producer.send(new ProducerRecord<>(topic, key, UserEventJson.write(event))));
        }
        try {
            producer.flush();
        } catch (InterruptException e) {
            // Kafka's unchecked form of an interrupt: the engine is closing; nothing of this batch is marked.
            throw new InterruptedException("interrupted while waiting for Kafka acks");
        }
        List<UserEvent> failed = new ArrayList<>();
        Throwable firstError = null;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                failed.add(events.get(i));
                firstError = firstError == null ? e.getCause() : firstError;
            }
        }
        if (!failed.isEmpty()) {
            throw new SendFailedException(failed, firstError);
        }
    }

    public static boolean isTransient(Throwable e) {
        Throwable cause = e instanceof SendFailedException ? e.getCause() : e;
        return cause instanceof RetriableException;
    }

    /** Some events were not acknowledged; only those need sending again. */
    public static final class SendFailedException extends RuntimeException {
        private final transient List<UserEvent> unacknowledged;

        SendFailedException(List<UserEvent> unacknowledged, Throwable cause) {
            super(unacknowledged.size() + " events not acknowledged: " + cause, cause);
            this.unacknowledged = List.copyOf(unacknowledged);
        }

        public List<UserEvent> unacknowledged() {
            return unacknowledged;
        }
    }
}
