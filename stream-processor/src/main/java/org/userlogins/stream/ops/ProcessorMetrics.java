package org.userlogins.stream.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.userlogins.stream.topology.ProcessingListener;
import org.userlogins.events.DlqReason;
import org.userlogins.kit.KafkaUnavailableMeter;

/**
 * Counts what the topology decides, for Prometheus: {@code stream_processor_records_accepted_total},
 * {@code stream_processor_records_rejected_total{reason}}, {@code stream_processor_dedupe_hits_total},
 * {@code stream_processor_thread_replacements_total}. Every reason the processor gives is registered at
 * start so a dashboard shows 0 rather than no series. Micrometer counters are thread-safe.
 */
public final class ProcessorMetrics implements ProcessingListener {
    private final Counter accepted;
    private final Map<DlqReason, Counter> rejected = new EnumMap<>(DlqReason.class);
    private final Counter duplicates;
    private final Counter threadReplacements;
    private final Counter kafkaUnavailable;

    public ProcessorMetrics(MeterRegistry registry) {
        accepted = Counter.builder("stream.processor.records.accepted")
                .description("valid first copies written to the clean topic").register(registry);
        for (DlqReason reason : DlqReason.of(DlqReason.Stage.PROCESSOR)) {
            rejected.put(reason, Counter.builder("stream.processor.records.rejected")
                    .description("records written to the DLQ").tag("reason", reason.code()).register(registry));
        }
        duplicates = Counter.builder("stream.processor.dedupe.hits")
                .description("valid copies of an id already seen within the retention, dropped").register(registry);
        threadReplacements = Counter.builder("stream.processor.thread.replacements")
                .description("stream threads replaced after an uncaught exception").register(registry);
        kafkaUnavailable = KafkaUnavailableMeter.register(registry);
    }

    /** A stream thread was replaced because Kafka did not answer in time: a wait, not a failure. */
    public void kafkaUnavailable() {
        kafkaUnavailable.increment();
    }

    @Override
    public void accepted() {
        accepted.increment();
    }

    @Override
    public void rejected(DlqReason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void duplicate() {
        duplicates.increment();
    }

    public void threadReplaced() {
        threadReplacements.increment();
    }
}
