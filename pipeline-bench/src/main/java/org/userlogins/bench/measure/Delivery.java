package org.userlogins.bench.measure;

import com.clickhouse.client.api.query.GenericRecord;
import java.time.Duration;
import org.userlogins.bench.load.Postgres;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.ops.probe.ClickHouseProbe;

/**
 * What arrived in the bench's ClickHouse table, by id range, and the correctness check every phase
 * ends with: each inserted id exactly once (FINAL) and none left unflagged in PostgreSQL.
 */
public final class Delivery {
    private static final Duration FLAG_GRACE = Duration.ofSeconds(20);

    private final ClickHouseProbe ch;
    /** As the ClickHouse admin: the writer's user has no grant on system.events and system.parts. */
    private final ClickHouseProbe chAdmin;
    private final Postgres pg;
    private final Progress progress;
    private final Runnable servicesAlive;

    public Delivery(ClickHouseProbe ch, ClickHouseProbe chAdmin, Postgres pg, Progress progress, Runnable servicesAlive) {
        this.ch = ch;
        this.chAdmin = chAdmin;
        this.pg = pg;
        this.progress = progress;
        this.servicesAlive = servicesAlive;
    }

    /** Rows stored for the id range, copies included (cheap: no FINAL). */
    public long stored(long fromId, long toId) {
        if (!ch.tableExists()) {
            return 0;
        }
        return ch.single("SELECT count() FROM " + ch.table() + " WHERE id BETWEEN " + fromId + " AND " + toId);
    }

    public long storedOnce(long fromId, long toId) {
        return ch.single("SELECT count() FROM " + ch.table() + " FINAL WHERE id BETWEEN " + fromId + " AND " + toId);
    }

    /**
     * Waits until every id of the range is in ClickHouse (FINAL) and flagged in PostgreSQL; returns
     * the nanoTime it saw that. Fails when no new row arrived for {@code timeout}, when rows stay
     * unflagged after all arrived, or when a service process died.
     */
    public long awaitAll(String phase, long fromId, long toId, long expected, long startNanos, Duration timeout) throws Exception {
        long lastProgress = System.nanoTime();
        long lastStored = -1;
        long allStoredSince = 0;
        while (true) {
            servicesAlive.run();
            long stored = stored(fromId, toId);
            long now = System.nanoTime();
            if (stored > lastStored) {
                lastStored = stored;
                lastProgress = now;
            }
            double elapsed = (now - startNanos) / 1e9;
            progress.show(phase, stored, stored / Math.max(elapsed, 1e-3), elapsed, "of " + String.format("%,d", expected));
            if (stored >= expected && storedOnce(fromId, toId) == expected) {
                if (pg.unsent(fromId, toId) == 0) {
                    return now;
                }
                allStoredSince = allStoredSince == 0 ? now : allStoredSince;
                // Capture flags a batch before Kafka even hands it on: seconds later it never will.
                if (now - allStoredSince > FLAG_GRACE.toNanos()) {
                    throw new IllegalStateException(phase + ": every id is in ClickHouse but PostgreSQL still has "
                            + unflaggedSummary(fromId, toId) + " " + FLAG_GRACE.toSeconds() + " s later");
                }
            }
            // A backlog of millions may take minutes: only rows that stop arriving are an error.
            if (now - lastProgress > timeout.toNanos()) {
                throw new IllegalStateException(String.format("%s: no new row for %d s; ClickHouse holds %,d of %,d ids %d-%d (FINAL %,d), "
                                + "PostgreSQL has %s", phase, timeout.toSeconds(), stored, expected, fromId, toId,
                        storedOnce(fromId, toId), unflaggedSummary(fromId, toId)));
            }
            Thread.sleep(200);
        }
    }

    /** How many rows are unflagged, in how many inserting transactions, and which ids: what capture's log needs to be read against. */
    private String unflaggedSummary(long fromId, long toId) throws Exception {
        String where = " FROM user_logins WHERE id BETWEEN " + fromId + " AND " + toId + " AND sent_to_kafka IS DISTINCT FROM TRUE";
        long rows = pg.single("SELECT count(*)" + where);
        if (rows == 0) {
            return "no unflagged row";
        }
        return String.format("%,d unflagged rows (ids %d-%d, from %d inserting transaction(s))", rows,
                pg.single("SELECT min(id)" + where), pg.single("SELECT max(id)" + where),
                pg.single("SELECT count(DISTINCT xmin::text)" + where));
    }

    /** Fails the run unless the range holds exactly the inserted rows once each, all flagged. */
    public void verify(String phase, long fromId, long toId, long inserted) throws Exception {
        long pgRows = pg.rows(fromId, toId);
        long once = storedOnce(fromId, toId);
        long unsent = pg.unsent(fromId, toId);
        if (pgRows != inserted || once != inserted || unsent != 0) {
            throw new IllegalStateException(String.format("%s: correctness check failed for ids %d-%d: inserted %,d, "
                    + "PostgreSQL rows %,d, ClickHouse FINAL %,d, unflagged %,d", phase, fromId, toId, inserted, pgRows, once, unsent));
        }
    }

    /** ClickHouse's count of INSERT queries since it started (each insert of the writer makes one part). */
    public long insertQueries() {
        return chAdmin.single("SELECT toInt64(sum(value)) FROM system.events WHERE event = 'InsertQuery'");
    }

    /** The table's active parts: flat over a run when merges absorb what the inserts make. */
    public long activeParts() {
        return chAdmin.single("SELECT toInt64(count()) FROM system.parts WHERE active AND concat(database, '.', table) = '"
                + ch.table().replace("`", "") + "'");
    }

    /** Inserts ClickHouse slowed down because a partition had too many active parts (parts_to_delay_insert). */
    public long delayedInserts() {
        return chAdmin.single("SELECT toInt64(sum(value)) FROM system.events WHERE event = 'DelayedInserts'");
    }

    /** Inserts ClickHouse refused for too many parts (parts_to_throw_insert): the writer retries them. */
    public long tooManyPartsErrors() {
        return chAdmin.single("SELECT toInt64(sum(value)) FROM system.errors WHERE name = 'TOO_MANY_PARTS'");
    }

    /**
     * Per-row end-to-end latency, PostgreSQL commit (carried by capture) to ClickHouse insert, over
     * the range; with the inserts per second ClickHouse took during the phase and its active parts after.
     */
    public Latency latency(int targetRate, double achievedRate, long fromId, long toId, double insertsPerSecond, long activeParts) {
        GenericRecord r = ch.query("SELECT q[1], q[2], q[3], mx, n FROM (SELECT quantilesExact(0.5, 0.95, 0.99)(ms) AS q, max(ms) AS mx, "
                + "count() AS n FROM (SELECT dateDiff('millisecond', committed_at, ingested_at) AS ms FROM " + ch.table()
                + " FINAL WHERE id BETWEEN " + fromId + " AND " + toId + " AND committed_at IS NOT NULL))").get(0);
        return new Latency(targetRate, Math.round(achievedRate), r.getLong(5), Math.round(r.getDouble(1)), Math.round(r.getDouble(2)),
                Math.round(r.getDouble(3)), r.getLong(4), insertsPerSecond, activeParts);
    }
}
