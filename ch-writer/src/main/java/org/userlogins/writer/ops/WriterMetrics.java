package org.userlogins.writer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.userlogins.events.DlqReason;
import org.userlogins.kit.KafkaUnavailableMeter;
import org.userlogins.writer.batch.Row;

/**
 * The writer's Prometheus meters. Histograms (not client-side percentiles) so Prometheus can
 * aggregate across instances. Consumer lag comes from Kafka's own metrics, bound in WriterMain.
 */
public final class WriterMetrics {
    private static final String DLQ_RECORDS = "writer.dlq.records";
    private final MeterRegistry registry;
    private final Counter rowsInserted;
    private final Counter batches;
    private final Counter retries;
    private final Counter kafkaUnavailable;
    private final DistributionSummary batchRows;
    private final Timer insertLatency;
    private final Timer endToEnd;
    /** When the current run of failed inserts began (wall clock ms), 0 while inserts succeed. */
    private final AtomicLong failingSinceMs = new AtomicLong();

    private final LongSupplier clockMs;

    public WriterMetrics(MeterRegistry registry) {
        this(registry, System::currentTimeMillis);
    }

    public WriterMetrics(MeterRegistry registry, LongSupplier clockMs) {
        this.registry = registry;
        this.clockMs = clockMs;
        rowsInserted = Counter.builder("writer.rows.inserted").description("rows ClickHouse accepted").register(registry);
        batches = Counter.builder("writer.batches").description("inserts ClickHouse accepted").register(registry);
        retries = Counter.builder("writer.insert.retries").description("failed insert attempts that will be retried").register(registry);
        kafkaUnavailable = KafkaUnavailableMeter.register(registry);
        batchRows = DistributionSummary.builder("writer.batch.rows").description("rows per insert")
                .publishPercentileHistogram().serviceLevelObjectives(1, 10, 100, 1000, 10_000, 50_000, 100_000)
                .register(registry);
        insertLatency = Timer.builder("writer.insert.latency").description("time of one INSERT")
                .publishPercentileHistogram().register(registry);
        endToEnd = Timer.builder("writer.end_to_end.latency")
                .description("from the PostgreSQL commit (commit_ts_ms) to ClickHouse accepting the row")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        // Every reason the writer can give, at 0, so that a rate over them exists before the first.
        for (DlqReason reason : DlqReason.of(DlqReason.Stage.WRITER)) {
            registry.counter(DLQ_RECORDS, "reason", reason.code());
        }
        // A gauge, not only the retry counter: an alert on "failing for N minutes" needs the
        // streak's length, which a counter's rate cannot tell from a single failed attempt.
        Gauge.builder("writer.insert.failing", this, WriterMetrics::failingSeconds).baseUnit("seconds")
                .description("how long inserts have been failing without one succeeding; 0 while they succeed")
                .register(registry);
    }

    public void inserted(List<Row> rows, long nanos, long nowMs) {
        rowsInserted.increment(rows.size());
        batches.increment();
        batchRows.record(rows.size());
        insertLatency.record(Duration.ofNanos(nanos));
        for (Row row : rows) {
            Long committed = row.event().commitTimeMs();
            if (committed != null) {
                endToEnd.record(Duration.ofMillis(Math.max(0, nowMs - committed)));
            }
        }
    }

    /** A batch went through its delivery stages: any run of failures is over. */
    public void flushed() {
        failingSinceMs.set(0);
    }

    /** Rows stored again because ClickHouse dropped their retried insert as a repeat without holding them. */
    public void refilled(int rows) {
        registry.counter("writer.rows.refilled").increment(rows);
    }

    /** Kafka did not take a commit or a DLQ record in time: the batch waits (the KafkaUnavailable alert, not WriterRetrying). */
    public void kafkaUnavailable() {
        kafkaUnavailable.increment();
    }

    public void retry() {
        retries.increment();
        failingSinceMs.compareAndSet(0, clockMs.getAsLong());
    }

    private double failingSeconds() {
        long since = failingSinceMs.get();
        return since == 0 ? 0 : Math.max(0, clockMs.getAsLong() - since) / 1000.0;
    }

    public void deadLettered(DlqReason reason) {
        registry.counter(DLQ_RECORDS, "reason", reason.code()).increment();
    }

    public double rowsInserted() {
        return rowsInserted.count();
    }

    public Timer endToEnd() {
        return endToEnd;
    }
}
