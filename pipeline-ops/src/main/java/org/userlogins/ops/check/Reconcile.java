package org.userlogins.ops.check;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.ArrayList;
import java.util.Collections;
import org.userlogins.kit.ConfigException;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.ops.probe.PostgresProbe;

/**
 * `./pipeline check`: accounts for every id PostgreSQL flags sent (sent_to_kafka IS TRUE) as
 * stored in ClickHouse (FINAL), rejected into the DLQ, or never published; the rest is missing.
 * Each database first reports (count, sum of ids) per bucket of 100,000 ids, computed inside it;
 * only the buckets that differ are compared id by id, and only then are the events topic's keys
 * and the DLQ read, keeping the ids of those buckets. Exits 1 on a missing or an extra id.
 *
 * <p>Run it on a quiet pipeline: a row that capture flagged a moment ago may not have reached
 * ClickHouse yet, and counts as missing until it has.
 */
public final class Reconcile {
    static final long BUCKET = 100_000;

    private Reconcile() {
    }

    public static int run(OpsSettings settings, String[] args) throws Exception {
        if (args.length > 0) {
            throw new ConfigException("check takes no options (got " + String.join(" ", args) + ")");
        }
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
            TreeSet<Long> differing = new TreeSet<>(source.keySet());
            differing.addAll(target.keySet());
            differing.removeIf(b -> Arrays.equals(source.get(b), target.get(b)));
            long flagged = source.values().stream().mapToLong(v -> v[0]).sum();
            IdClasses classes = new IdClasses();
            List<String> notes = new ArrayList<>();
            if (!differing.isEmpty()) {
                notes.addAll(topicNotes(settings));
                BucketIds published = KafkaIds.published(settings, differing, BUCKET);
                Map<Long, Rejection> rejected = KafkaIds.rejected(settings, differing, BUCKET);
                for (long b : differing) {
                    classes.classify(pg.sentIds(b, BUCKET), tableExists ? ch.ids(b, BUCKET) : List.of(), published::contains, rejected::get);
                }
            }
            return new Reconciliation(flagged, tableExists ? ch.count(true) : 0, tableExists ? ch.count(false) : 0,
                    classes.missing(), classes.extra(), classes.rejected(), classes.neverPublished(), Collections.unmodifiableList(notes));
        }
    }

    /** The events topic must exist to tell never-published from lost, and be compacted to keep every id's record. */
    private static List<String> topicNotes(OpsSettings settings) throws Exception {
        try (KafkaProbe kafka = new KafkaProbe(settings)) {
            String policy = kafka.topicConfig(settings.eventsTopic(), "cleanup.policy");
            if (policy == null) {
                throw new ConfigException("topic " + settings.eventsTopic() + " does not exist: without it check cannot tell a lost row"
                        + " from one never published; check KAFKA_TOPIC_EVENTS");
            }
            List<String> notes = new ArrayList<>();
            if (!Set.of(policy.split(",")).contains("compact")) {
                notes.add("topic " + settings.eventsTopic() + " has cleanup.policy=" + policy + ", not compact: a row whose record"
                        + " expired counts as never published, not missing");
            }
            if (kafka.topicConfig(settings.dlqTopic(), "cleanup.policy") == null) {
                notes.add("topic " + settings.dlqTopic() + " does not exist: no id can count as rejected");
            }
            return notes;
        }
    }
}
