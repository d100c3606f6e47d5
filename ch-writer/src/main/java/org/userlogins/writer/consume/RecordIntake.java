package org.userlogins.writer.consume;

import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.userlogins.writer.batch.Batch;
import org.userlogins.writer.batch.RecordDecoder;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.ops.WriterMetrics;

/** Puts polled records into the batch: a row each, or a DLQ record (its offset still committed with the batch). */
final class RecordIntake {
    private final RecordDecoder decoder = new RecordDecoder();
    private final DeadLetters deadLetters;
    private final WriterMetrics metrics;
    private final LongSupplier clock;

    RecordIntake(DeadLetters deadLetters, WriterMetrics metrics, LongSupplier clock) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
    }

    void add(ConsumerRecord<byte[], byte[]> record, Batch batch) {
        try {
            batch.add(decoder.decode(record), clock.getAsLong());
        } catch (RecordDecoder.RejectedRecord rejected) {
            deadLetters.send(record, rejected.reason(), rejected.getMessage());
            metrics.deadLettered(rejected.reason());
            batch.skip(record, clock.getAsLong());
        }
    }
}
