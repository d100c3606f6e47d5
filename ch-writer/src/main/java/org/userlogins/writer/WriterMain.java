package org.userlogins.writer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.writer.config.WriterSettings;
import org.userlogins.writer.table.ClickHouseTable.IncompatibleTableException;
import org.userlogins.writer.consume.BatchFlusher;

/** Wires ch-writer: settings, app, SIGTERM hook (flush, commit, bounded wait). Exit 2 = configuration error. */
public final class WriterMain {
    private static final Logger LOG = LoggerFactory.getLogger(WriterMain.class);

    private WriterMain() {
    }

    public static void main(String[] args) {
        WriterSettings settings;
        BatchFlusher.StageHook crashHook;
        try {
            settings = WriterSettings.fromEnv(Env.system());
            crashHook = CrashHook.fromEnv(Env.system());
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("starting ch-writer with {}", settings.describe());
        CountDownLatch done = new CountDownLatch(1);
        int exitCode = 0;
        try (WriterApp app = new WriterApp(settings, crashHook)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitStop(app, done), "shutdown"));
            app.run();
        } catch (ConfigException | IncompatibleTableException e) {
            LOG.error("{}", e.getMessage());
            System.err.println("error: " + e.getMessage());
            exitCode = 2;
        } catch (Throwable e) {
            LOG.error("ch-writer failed", e);
            exitCode = 1;
        } finally {
            done.countDown();
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    private static void awaitStop(WriterApp app, CountDownLatch done) {
        if (done.getCount() == 0) {
            return;
        }
        LOG.info("stop requested: flushing the batch in hand and committing");
        app.stop();
        try {
            if (!done.await(WriterApp.gracePeriod().toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("did not stop within {}; exiting anyway (uncommitted rows are re-read at restart)", WriterApp.gracePeriod());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
