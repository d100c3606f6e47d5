package org.userlogins.writer.table;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.kit.ConfigException;
import org.userlogins.writer.batch.Backoff;
import org.userlogins.writer.ops.WriterStatus;
import org.userlogins.writer.sink.InsertErrors;

/**
 * Prepares the table at start. An unreachable ClickHouse is an outage, not a configuration error:
 * it is retried with backoff (logged, /health says so) until it answers or the service is stopped.
 * Rejected credentials and a missing grant are configuration errors and stop the service at once,
 * as does a table of the wrong shape.
 */
public final class StartupWait {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWait.class);

    private StartupWait() {
    }

    /** Returns true when the table is ready, false when {@code stopRequested} became true first. */
    public static boolean ensureTable(ClickHouseTable table, Backoff backoff, WriterStatus status,
                                      BooleanSupplier stopRequested, String url, String user) throws InterruptedException {
        for (int attempt = 1; !stopRequested.getAsBoolean(); attempt++) {
            try {
                table.ensure();
                return true;
            } catch (ClickHouseTable.IncompatibleTableException e) {
                throw e;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (InsertErrors.isAuthFailure(e)) {
                    throw new ConfigException("ClickHouse at " + url + " rejected user " + user
                            + "; check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD (" + InsertErrors.classify(e).getMessage() + ")");
                }
                if (InsertErrors.isAccessDenied(e)) {
                    throw new ConfigException("ClickHouse user " + user + " may not create or write " + table.qualifiedName()
                            + "; grant it CREATE DATABASE, CREATE TABLE, INSERT, SELECT and SHOW there, or set CLICKHOUSE_DATABASE "
                            + "to a database it may write (" + InsertErrors.classify(e).getMessage() + ")");
                }
                Duration delay = backoff.delayAfter(attempt);
                String error = InsertErrors.classify(e).getMessage();
                status.waitingForClickHouse(attempt, error);
                LOG.warn("ClickHouse at {} not ready (attempt {}): {}; retrying in {} ms", url, attempt, error, delay.toMillis());
                sleep(delay, stopRequested);
            }
        }
        return false;
    }

    private static void sleep(Duration delay, BooleanSupplier stopRequested) throws InterruptedException {
        long until = System.nanoTime() + delay.toNanos();
        while (!stopRequested.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }
}
