package org.userlogins.bench.reference;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;
import org.userlogins.bench.load.Postgres;
import org.userlogins.bench.measure.CountWait;
import org.userlogins.bench.measure.Progress;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.capture.config.DebeziumProperties;
import org.userlogins.capture.engine.CaptureEngine;
import org.userlogins.capture.engine.EngineState;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;

/**
 * Debezium's own rate on this machine, the ceiling for cdc-capture: the embedded engine with
 * capture's very configuration ({@link DebeziumProperties}, run by {@link CaptureEngine}) and a
 * handler that only marks each record processed. Measured as capture is: the backlog of unsent rows
 * (the snapshot), then rows inserted while it streams. Its slot is its own and dropped at the end;
 * its offsets go to a temporary file. The streamed rows go in unsent (the publication's row filter
 * hides flagged rows from every slot) and are deleted afterwards (deletes are not published), so
 * they are not capture's backlog.
 */
public final class DebeziumNoOpRate {
    private DebeziumNoOpRate() {
    }

    /**
     * [backlog, streaming, streaming with each row flagged after its insert]; the table must hold
     * exactly {@code rows} unsent rows, which stay unsent.
     */
    public static Rate[] measure(Map<String, String> env, OpsSettings ops, int rows, Duration stallTimeout, Progress progress)
            throws Exception {
        Path offsets = Files.createTempFile("bench-noop-offsets-", ".dat");
        Map<String, String> own = new HashMap<>(env);
        own.put("CAPTURE_OFFSETS_FILE", offsets.toString());
        CaptureSettings s = CaptureSettings.fromEnv(new Env(own));
        AtomicLong seen = new AtomicLong();
        DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> noOp = (records, committer) -> {
            for (RecordChangeEvent<SourceRecord> r : records) {
                if (s.tableDestination().equals(r.record().topic())) {
                    seen.incrementAndGet();
                }
                committer.markProcessed(r);
            }
            committer.markBatchFinished();
        };
        EngineState state = new EngineState(Duration.ofMinutes(10).toMillis());
        CaptureEngine engine = new CaptureEngine(DebeziumProperties.of(s), noOp, state);
        try (Postgres writer = Postgres.connect(ops)) {
            long start = System.nanoTime();
            engine.start();
            long done = CountWait.until("0 Debezium no-op (backlog)", seen::get, rows, start, stallTimeout, () -> requireRunning(state),
                    Duration.ofMillis(50), progress);
            Rate backlog = Rate.of(rows, done - start);
            long backlogMaxId = writer.maxId();
            long streamStart = System.nanoTime();
            writer.insertInThousands(rows, false);
            done = CountWait.until("0 Debezium no-op (streaming)", () -> seen.get() - rows, rows, streamStart, stallTimeout,
                    () -> requireRunning(state), Duration.ofMillis(50), progress);
            Rate streaming = Rate.of(rows, done - streamStart);
            // The same again with each transaction's rows flagged right after it, as capture flags them:
            // the ceiling of any capture that writes the seed's flag, since the slot decodes each row twice.
            long flaggedStart = System.nanoTime();
            writer.insertAndFlagInThousands(rows);
            done = CountWait.until("0 Debezium no-op (streaming, flagged)", () -> seen.get() - 2L * rows, rows, flaggedStart,
                    stallTimeout, () -> requireRunning(state), Duration.ofMillis(50), progress);
            writer.execute("DELETE FROM user_logins WHERE id > " + backlogMaxId);
            return new Rate[] {backlog, streaming, Rate.of(rows, done - flaggedStart)};
        } finally {
            engine.stop(Duration.ofSeconds(30));
            try (Postgres pg = Postgres.connect(ops)) {
                pg.dropSlot(s.slotName(), Duration.ofSeconds(10));
            }
            Files.deleteIfExists(offsets);
        }
    }

    private static void requireRunning(EngineState state) {
        if (state.phase() == EngineState.Phase.FAILED) {
            throw new IllegalStateException("Debezium's no-op engine failed: " + state.health().detail());
        }
    }
}
