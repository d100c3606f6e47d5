package org.userlogins.ops.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.PostgresProbe;

/**
 * `./pipeline check`: the ids PostgreSQL marked sent against the ids in ClickHouse (FINAL).
 * Each side first reports (count, sum of ids) per bucket of 100,000 ids, computed inside the
 * database; only the buckets that differ are compared id by id. Exits 1 on any difference.
 *
 * <p>Run it on a quiet pipeline: a row that capture flagged a moment ago may not have reached
 * ClickHouse yet. A row inserted with sent_to_kafka = TRUE by another producer is never captured
 * and shows as missing.
 */
public final class Reconcile {
    static final long BUCKET = 100_000;

    private Reconcile() {
    }

    public static int run(OpsSettings settings, String[] args) throws Exception {
        long started = System.nanoTime();
        Reconciliation result = compute(settings);
        System.out.print(result.describe());
        System.out.printf("%s (%d ms)%n", result.passed() ? "check passed" : "check FAILED", (System.nanoTime() - started) / 1_000_000);
        return result.passed() ? 0 : 1;
    }

    public static Reconciliation compute(OpsSettings settings) throws Exception {
        try (PostgresProbe pg = new PostgresProbe(settings); ClickHouseProbe ch = new ClickHouseProbe(settings)) {
            Map<Long, long[]> source = pg.sentBuckets(BUCKET);
            boolean tableExists = ch.tableExists();
            Map<Long, long[]> target = tableExists ? ch.buckets(BUCKET) : Map.of();
            List<Long> missing = new ArrayList<>();
            List<Long> extra = new ArrayList<>();
            TreeSet<Long> buckets = new TreeSet<>(source.keySet());
            buckets.addAll(target.keySet());
            for (long b : buckets) {
                if (!Arrays.equals(source.get(b), target.get(b))) {
                    List<Long> pgIds = pg.sentIds(b, BUCKET);
                    List<Long> chIds = tableExists ? ch.ids(b, BUCKET) : List.of();
                    missing.addAll(IdDiff.minus(pgIds, chIds));
                    extra.addAll(IdDiff.minus(chIds, pgIds));
                }
            }
            long pgCount = source.values().stream().mapToLong(v -> v[0]).sum();
            return new Reconciliation(pgCount, tableExists ? ch.count(true) : 0, tableExists ? ch.count(false) : 0, missing, extra);
        }
    }
}
