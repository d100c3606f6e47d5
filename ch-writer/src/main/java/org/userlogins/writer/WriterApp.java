package org.userlogins.writer;

import com.clickhouse.client.api.Client;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.kit.OpsServer;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.config.WriterSettings;
import org.userlogins.writer.consume.BatchFlusher;
import org.userlogins.writer.consume.WriterLoop;
import org.userlogins.writer.dlq.KafkaDeadLetters;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.sink.ClickHouseRowSink;
import org.userlogins.writer.table.ClickHouseTable;
import org.userlogins.writer.table.StartupWait;
import org.userlogins.writer.config.ConsumerProperties;
import org.userlogins.writer.config.DlqProducerProperties;

/**
 * Builds the writer's parts from its settings and runs them: ops endpoint, ClickHouse client and
 * table, consumer, DLQ producer, loop. {@link #run()} blocks until {@link #stop()}.
 */
public final class WriterApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriterApp.class);

    private final WriterSettings settings;
    private final BatchFlusher.StageHook stageHook;
    private final PrometheusMeterRegistry registry = OpsServer.newRegistry();
    private final WriterStatus status = new WriterStatus();
    private final OpsServer ops;
    private final Client client;
    private volatile boolean stopRequested;
    private volatile WriterLoop loop;

    public WriterApp(WriterSettings settings) {
        this(settings, BatchFlusher.StageHook.NONE);
    }

    /** With a hook called at each delivery stage of each batch (the crash tests' {@link CrashHook}). */
    WriterApp(WriterSettings settings, BatchFlusher.StageHook stageHook) {
        this.settings = settings;
        this.stageHook = stageHook;
        LOG.info("in-flight memory cap: {}", settings.inFlightCaps().describe());
        settings.inFlightCaps().register(registry);
        this.ops = OpsServer.start("0.0.0.0", settings.opsPort(), registry, status::health);
        this.client = settings.clickHouseClient(builder -> builder
                .setConnectTimeout(5, ChronoUnit.SECONDS)
                .setSocketTimeout(120, ChronoUnit.SECONDS)
                // One retry policy, ours: the client's own retries would hide outages from the log.
                .setMaxRetries(0));
    }

    public void run() throws Exception {
        Backoff backoff = new Backoff(settings.retryInitial(), settings.retryMax());
        ClickHouseTable table = new ClickHouseTable(client, settings);
        if (!StartupWait.ensureTable(table, backoff, status, () -> stopRequested,
                settings.clickHouseUrl(), settings.clickHouseUser())) {
            return;
        }
        WriterMetrics metrics = new WriterMetrics(registry);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ConsumerProperties.of(settings));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(DlqProducerProperties.of(settings));
             KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer)) {
            consumerMetrics.bindTo(registry);
            KafkaDeadLetters deadLetters = new KafkaDeadLetters(producer, settings.dlqTopic());
            BatchFlusher flusher = new BatchFlusher(
                    new ClickHouseRowSink(client, settings.database(), settings.table(), 120),
                    deadLetters, consumer, settings.table(), metrics, stageHook, System::currentTimeMillis);
            loop = new WriterLoop(consumer, settings.cleanTopic(), deadLetters, flusher,
                    settings.batch(), backoff, metrics, status,
                    System::currentTimeMillis);
            if (stopRequested) {
                return;
            }
            LOG.info("consuming {} as group {} into {}.{}", settings.cleanTopic(), settings.groupId(),
                    settings.database(), settings.table());
            loop.run();
        } finally {
            status.stopped("writer stopped");
        }
    }

    /** Asks the loop (or the startup wait) to end; run() then flushes, commits and returns. */
    public void stop() {
        stopRequested = true;
        WriterLoop current = loop;
        if (current != null) {
            current.stop();
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public WriterStatus status() {
        return status;
    }

    @Override
    public void close() {
        client.close();
        ops.close();
        LOG.info("closed");
    }

    static Duration gracePeriod() {
        return Duration.ofSeconds(30);
    }
}
