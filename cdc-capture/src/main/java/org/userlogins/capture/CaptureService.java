package org.userlogins.capture;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.capture.config.DebeziumProperties;
import org.userlogins.capture.config.ProducerProperties;
import org.userlogins.capture.engine.CaptureEngine;
import org.userlogins.capture.engine.EngineState;
import org.userlogins.capture.flag.JdbcSentFlag;
import org.userlogins.capture.ops.CaptureMetrics;
import org.userlogins.capture.ops.ProgressLog;
import org.userlogins.capture.ops.SlotMonitor;
import org.userlogins.capture.publish.BatchPublisher;
import org.userlogins.capture.publish.ChangeEventMapper;
import org.userlogins.capture.publish.EventTimes;
import org.userlogins.capture.publish.KafkaEventSender;
import org.userlogins.capture.publish.LeftOutColumns;
import org.userlogins.capture.publish.Retrier;
import org.userlogins.kit.OpsServer;

/** The assembled service: engine, producer, flag writer, monitors and the ops endpoint, with one stop. */
public final class CaptureService {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);
    private static final long MONITOR_PERIOD_S = 5;

    private final CaptureEngine engine;
    private final EngineState state;
    private final BatchPublisher publisher;
    private final Producer<byte[], byte[]> producer;
    private final JdbcSentFlag sentFlag;
    private final SlotMonitor slotMonitor;
    private final ScheduledExecutorService monitor;
    private final OpsServer ops;

    private CaptureService(CaptureSettings s) {
        // Stalled when neither rows nor heartbeats came for three heartbeats and a minute.
        state = new EngineState(3 * s.heartbeatInterval().toMillis() + 60_000);
        PrometheusMeterRegistry registry = OpsServer.newRegistry();
        LOG.info("in-flight memory cap: {}", s.inFlightCaps().describe());
        s.inFlightCaps().register(registry);
        CaptureMetrics metrics = new CaptureMetrics(registry);
        producer = new KafkaProducer<>(ProducerProperties.of(s));
        sentFlag = new JdbcSentFlag(s.jdbcUrl(), s.pgUser(), s.pgPassword(), s.table());
        Retrier retrier = new Retrier(s.retryTimeout(), Duration.ofMillis(200), Duration.ofSeconds(10), reason -> {
            metrics.retries.increment();
            state.retrying(reason);
        });
        publisher = new BatchPublisher(
                new ChangeEventMapper(s.tableDestination(), new EventTimes(s.eventTimeZone()), new LeftOutColumns(columns -> {
                    metrics.leftOutColumns(columns);
                    if (!columns.isEmpty()) {
                        LOG.warn("{} has columns the pipeline does not carry to ClickHouse: {}; they are left out of every event "
                                + "(capture_column_left_out, ./pipeline status)", s.table(), columns);
                    }
                })),
                new KafkaEventSender(producer, s.eventsTopic(), s.dlqTopic(), s.maxMessageBytes()), sentFlag, retrier, metrics, state);
        engine = new CaptureEngine(DebeziumProperties.of(s), publisher, state);
        slotMonitor = new SlotMonitor(s.jdbcUrl(), s.pgUser(), s.pgPassword(), s.slotName(), s.walWarnBytes(), metrics);
        long backlog = slotMonitor.countBacklog(s.table());
        metrics.backlogRows.set(backlog);
        ProgressLog progress = new ProgressLog(metrics, backlog);
        monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capture-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.scheduleWithFixedDelay(() -> {
            slotMonitor.check();
            progress.tick();
        }, MONITOR_PERIOD_S, MONITOR_PERIOD_S, TimeUnit.SECONDS);
        long countEveryMs = s.backlogCountInterval().toMillis();
        if (countEveryMs > 0) {
            monitor.scheduleWithFixedDelay(() -> metrics.backlogRows.set(slotMonitor.countBacklog(s.table())),
                    countEveryMs, countEveryMs, TimeUnit.MILLISECONDS);
        }
        ops = OpsServer.start("0.0.0.0", s.opsPort(), registry, state::health);
    }

    public static CaptureService start(CaptureSettings settings) {
        CaptureService service = new CaptureService(settings);
        service.engine.start();
        LOG.info("capture started");
        return service;
    }

    /** Blocks until the engine ends: 0 after {@link #stop}, 1 when it failed. */
    public int awaitExit() throws InterruptedException {
        return engine.awaitExit();
    }

    public EngineState state() {
        return state;
    }

    /** Graceful stop: the batch in hand finishes and its offsets are committed, then the clients close. */
    public void stop(Duration timeout) {
        LOG.info("stopping capture");
        try {
            if (!publisher.drain(timeout)) {
                LOG.warn("the batch in hand did not finish within {} s; it will be sent again after the restart", timeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.stop(timeout);
        monitor.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        sentFlag.close();
        ops.close();
        LOG.info("capture stopped");
    }
}
