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
        IgnoredIds ignored = args.length == 2 && args[0].equals("--ignore-ids-file")
                ? IgnoredIds.read(java.nio.file.Path.of(args[1])) : IgnoredIds.none();
        Reconciliation result = compute(settings, ignored);
        System.out.print(result.describe());
        System.out.printf("%s (%d ms)%n", result.passed() ? "check passed" : "check FAILED", (System.nanoTime() - started) / 1_000_000);
        return result.passed() ? 0 : 1;
    }

    public static Reconciliation compute(OpsSettings settings) throws Exception {
        return compute(settings, IgnoredIds.none());
    }

    public static Reconciliation compute(OpsSettings settings, IgnoredIds ignored) throws Exception {
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
                    IdDiff.minus(pgIds, chIds).stream().filter(id -> !ignored.contains(id)).forEach(missing::add);
                    extra.addAll(IdDiff.minus(chIds, pgIds));
                    chIds.stream().filter(ignored::contains).forEach(extra::add);
                }
            }
            long pgCount = source.values().stream().mapToLong(v -> v[0]).sum();
            return new Reconciliation(pgCount, ignored.count(), tableExists ? ch.count(true) : 0, tableExists ? ch.count(false) : 0, missing, extra);
        }
    }
}
