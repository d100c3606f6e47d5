package org.userlogins.writer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.userlogins.events.DlqReason;
import org.userlogins.writer.batch.Row;

/**
 * The writer's Prometheus meters. Histograms (not client-side percentiles) so Prometheus can
 * aggregate across instances. Consumer lag comes from Kafka's own metrics, bound in WriterMain.
 */
public final class WriterMetrics {
    private final MeterRegistry registry;
    private final Counter rowsInserted;
    private final Counter batches;
    private final Counter retries;
    private final DistributionSummary batchRows;
    private final Timer insertLatency;
    private final Timer endToEnd;

    public WriterMetrics(MeterRegistry registry) {
        this.registry = registry;
        rowsInserted = Counter.builder("writer.rows.inserted").description("rows ClickHouse accepted").register(registry);
        batches = Counter.builder("writer.batches").description("inserts ClickHouse accepted").register(registry);
        retries = Counter.builder("writer.insert.retries").description("failed insert attempts that will be retried").register(registry);
        batchRows = DistributionSummary.builder("writer.batch.rows").description("rows per insert")
                .publishPercentileHistogram().serviceLevelObjectives(1, 10, 100, 1000, 10_000, 50_000, 100_000)
                .register(registry);
        insertLatency = Timer.builder("writer.insert.latency").description("time of one INSERT")
                .publishPercentileHistogram().register(registry);
        endToEnd = Timer.builder("writer.end_to_end.latency")
                .description("from the PostgreSQL commit (commit_ts_ms) to ClickHouse accepting the row")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
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

    public void retry() {
        retries.increment();
    }

    public void deadLettered(DlqReason reason) {
        registry.counter("writer.dlq.records", "reason", reason.code()).increment();
    }

    public double rowsInserted() {
        return rowsInserted.count();
    }

    public Timer endToEnd() {
        return endToEnd;
    }
}
