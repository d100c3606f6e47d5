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
        try (PostgresProbe pg = new PostgresProbe(settings); ClickHouseProbe ch = new ClickHouseProbe(settings)) {
            if (!ch.tableExists()) {
                System.out.println("ClickHouse table " + ch.table() + " does not exist yet (ch-writer creates it)");
                return 1;
            }
            Map<Long, long[]> source = pg.sentBuckets(BUCKET);
            Map<Long, long[]> target = ch.buckets(BUCKET);
            List<Long> missing = new ArrayList<>();
            List<Long> extra = new ArrayList<>();
            TreeSet<Long> buckets = new TreeSet<>(source.keySet());
            buckets.addAll(target.keySet());
            for (long b : buckets) {
                if (!Arrays.equals(source.get(b), target.get(b))) {
                    List<Long> pgIds = pg.sentIds(b, BUCKET);
                    List<Long> chIds = ch.ids(b, BUCKET);
                    missing.addAll(IdDiff.minus(pgIds, chIds));
                    extra.addAll(IdDiff.minus(chIds, pgIds));
                }
            }
            long pgCount = source.values().stream().mapToLong(v -> v[0]).sum();
            System.out.printf("postgres sent   %,d rows%n", pgCount);
            System.out.printf("clickhouse      %,d rows FINAL, %,d raw%n", ch.count(true), ch.count(false));
            System.out.printf("missing         %,d%s%n", missing.size(), missing.isEmpty() ? "" : "  first: " + IdDiff.ranges(missing, 10));
            System.out.printf("extra           %,d%s%n", extra.size(), extra.isEmpty() ? "" : "  first: " + IdDiff.ranges(extra, 10));
            System.out.printf("%s (%d ms)%n", missing.isEmpty() && extra.isEmpty() ? "check passed" : "check FAILED",
                    (System.nanoTime() - started) / 1_000_000);
            return missing.isEmpty() && extra.isEmpty() ? 0 : 1;
        }
    }
}
