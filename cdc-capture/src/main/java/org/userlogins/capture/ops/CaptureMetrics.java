package org.userlogins.capture.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.userlogins.events.DlqReason;
import org.userlogins.kit.KafkaUnavailableMeter;

/** The meters capture exposes on /metrics; the slot gauges read -1 as "not known yet" (NaN). */
public final class CaptureMetrics {
    public final Counter captured;
    public final Counter published;
    public final Counter flagged;
    public final Counter skippedAlreadySent;
    public final Counter retries;
    public final Counter kafkaUnavailable;
    private final MultiGauge leftOutColumns;
    public final Timer batchLatency;
    public final AtomicLong replicationLagBytes = new AtomicLong(-1);
    public final AtomicLong retainedWalBytes = new AtomicLong(-1);
    /** 1 while a walsender streams from the slot, 0 when nobody does (capture between connections, or stuck). */
    public final AtomicLong slotActive = new AtomicLong(-1);
    public final AtomicLong backlogRows = new AtomicLong(-1);

    private final Map<DlqReason, Counter> deadLettered = new EnumMap<>(DlqReason.class);

    public CaptureMetrics(MeterRegistry registry) {
        captured = Counter.builder("capture.events.captured").description("rows of the table read from the WAL or the snapshot").register(registry);
        published = Counter.builder("capture.events.published").description("events acknowledged by Kafka").register(registry);
        flagged = Counter.builder("capture.events.flagged").description("ids set sent_to_kafka = TRUE (published or rejected)").register(registry);
        skippedAlreadySent = Counter.builder("capture.events.skipped.already.sent")
                .description("rows not published because their committed sent_to_kafka is TRUE (sent before, or inserted sent)").register(registry);
        retries = Counter.builder("capture.retries").description("retried Kafka sends and flag updates").register(registry);
        kafkaUnavailable = KafkaUnavailableMeter.register(registry);
        leftOutColumns = MultiGauge.builder("capture.column.left.out")
                .description("1 for each column of the table that does not travel to ClickHouse").register(registry);
        batchLatency = Timer.builder("capture.batch.latency").description("handling of one engine batch: send, ack, flag, mark")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("capture.slot.lag.bytes", replicationLagBytes, CaptureMetrics::orNaN)
                .description("pg_current_wal_lsn() - confirmed_flush_lsn of the slot").baseUnit("bytes").register(registry);
        Gauge.builder("capture.slot.retained.wal.bytes", retainedWalBytes, CaptureMetrics::orNaN)
                .description("pg_current_wal_lsn() - restart_lsn of the slot").baseUnit("bytes").register(registry);
        // Every reason capture can give, registered at 0, so a rate over them exists before the first.
        for (DlqReason reason : DlqReason.of(DlqReason.Stage.CAPTURE)) {
            deadLettered.put(reason, Counter.builder("capture.dlq.records").tag("reason", reason.code())
                    .description("records capture sent to the DLQ instead of the events topic").register(registry));
        }
        Gauge.builder("capture.slot.active", slotActive, CaptureMetrics::orNaN)
                .description("1 when the slot is streaming to a walsender, 0 when it is not").register(registry);
        Gauge.builder("capture.backlog.rows", backlogRows, CaptureMetrics::orNaN)
                .description("rows whose sent_to_kafka is FALSE or NULL, counted every CAPTURE_BACKLOG_COUNT_INTERVAL")
                .register(registry);
    }

    public void deadLettered(DlqReason reason, int records) {
        deadLettered.get(reason).increment(records);
    }

    private static double orNaN(AtomicLong value) {
        long v = value.get();
        return v < 0 ? Double.NaN : v;
    }

    /** The columns left out now: one series each, the ones no longer left out removed. */
    public void leftOutColumns(Collection<String> columns) {
        leftOutColumns.register(columns.stream().map(c -> MultiGauge.Row.of(Tags.of("column", c), 1)).toList(), true);
    }
}
