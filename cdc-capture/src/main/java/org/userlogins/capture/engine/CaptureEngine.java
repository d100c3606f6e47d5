package org.userlogins.capture.engine;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Debezium's embedded (async) engine on its own thread with a batch handler, and turns its
 * callbacks into {@link EngineState} and an exit code: 0 after a requested stop, 1 after a failure.
 */
public final class CaptureEngine {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureEngine.class);

    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final EngineState state;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "capture-engine"));

    public CaptureEngine(Properties properties, DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler, EngineState state) {
        this.state = state;
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        LOG.info("capture task started");
                        state.running();
                    }
                })
                .using(this::completed)
                .notifying(handler)
                .build();
    }

    public void start() {
        thread.execute(engine);
    }

    private void completed(boolean success, String message, Throwable error) {
        if (success && state.phase() == EngineState.Phase.STOPPING) {
            LOG.info("engine stopped: {}", message);
            state.stopped();
            exitCode.complete(0);
        } else {
            String reason = error != null ? error.toString() : message;
            LOG.error("engine failed: {}", reason, error);
            state.failed(reason);
            exitCode.complete(1);
        }
    }

    /** Blocks until the engine ends; 0 when stopped on request, 1 when it died. */
    public int awaitExit() throws InterruptedException {
        try {
            return exitCode.get();
        } catch (ExecutionException e) {
            return 1;
        }
    }

    /** Debezium refuses close() while its tasks start (it would leak connections): retry until they have. */
    private void closeEngine(long deadlineNanos) throws Exception {
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("tasks are starting") || System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Asks the engine to stop (the batch in hand finishes, offsets are committed) and waits a bounded time. */
    public void stop(Duration timeout) {
        if (exitCode.isDone()) {
            return;
        }
        state.stopping();
        try {
            closeEngine(System.nanoTime() + timeout.toNanos());
            exitCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("engine did not stop within {} s", timeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // close() throws when the engine already failed; the failure is already reported.
            LOG.warn("closing the engine: {}", e.toString());
        } finally {
            thread.shutdown();
        }
    }
}
