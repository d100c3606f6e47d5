package org.userlogins.ops.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.userlogins.events.SourceColumns;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.DlqReasons;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.ops.probe.PostgresProbe;
import org.userlogins.ops.probe.PostgresProbe.Backlog;
import org.userlogins.ops.probe.PostgresProbe.Publication;
import org.userlogins.ops.probe.PostgresProbe.Slot;

/**
 * `./pipeline status`: every stage on one screen, and a verdict from two readings a second apart
 * (up to {@link #MORE_LOOKS} more, a second apart, while nothing moved and nothing explains it).
 */
public final class PipelineStatus {
    static final int MORE_LOOKS = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PipelineStatus() {
    }

    public static int run(OpsSettings s) throws InterruptedException {
        Snapshot before = read(s);
        Thread.sleep(1000);
        Snapshot after = read(s);
        for (int i = 0; i < MORE_LOOKS && Verdict.undecided(before, after); i++) {
            Thread.sleep(1000);
            after = read(s);
        }
        print(s, before, after, Verdict.of(before, after));
        leftOutColumns(s);
        kafkaCluster(s);
        if (after.dlqSize() > 0) {
            System.out.printf("%-11s %s%n", "dlq", dlqByReason(s));
        }
        return 0;
    }

    public static Snapshot read(OpsSettings s) {
        List<String> problems = new ArrayList<>();
        List<String> down = new ArrayList<>();
        services(s).forEach((name, port) -> {
            if (port != 0 && !healthy(port)) {
                down.add(name);
            }
        });
        long published = s.captureOpsPort() == 0 || down.contains(Snapshot.CAPTURE) ? -1 : capturePublished(s.captureOpsPort());
        Backlog backlog = null;
        Slot slot = null;
        Publication publication = null;
        try (PostgresProbe pg = new PostgresProbe(s)) {
            backlog = pg.backlogWithAge();
            slot = pg.slot();
            publication = pg.publication(s.capturePublication());
        } catch (Exception e) {
            problems.add("PostgreSQL unreachable (" + e.getMessage() + ")");
        }
        long[] kafka = {-1, -1, -1, -1, -1};
        try (KafkaProbe k = new KafkaProbe(s)) {
            kafka = new long[] {k.endOffsetSum(s.eventsTopic()), k.endOffsetSum(s.cleanTopic()), k.size(s.dlqTopic()),
                k.processorLag(s), k.lag(s.writerGroup(), s.cleanTopic())};
        } catch (Exception e) {
            problems.add("Kafka unreachable (" + e.getMessage() + ")");
        }
        long chFinal = -1;
        long chRaw = -1;
        try (ClickHouseProbe ch = new ClickHouseProbe(s)) {
            if (ch.tableExists()) {
                chFinal = ch.count(true);
                chRaw = ch.count(false);
            }
        } catch (Exception e) {
            problems.add("ClickHouse unreachable (" + e.getMessage() + ")");
        }
        return new Snapshot(System.currentTimeMillis(), down, backlog, slot, publication, published,
                kafka[0], kafka[1], kafka[2], kafka[3], kafka[4], chFinal, chRaw, problems);
    }

    /** A line when user_logins has columns that do not travel to ClickHouse; none when every column does. */
    private static void leftOutColumns(OpsSettings s) {
        try (PostgresProbe pg = new PostgresProbe(s)) {
            String line = describeLeftOut(SourceColumns.leftOut(pg.columns()));
            if (line != null) {
                System.out.printf("%-11s %s%n", "columns", line);
            }
        } catch (Exception e) {
            // PostgreSQL unreachable: the postgres line already says so
        }
    }

    static String describeLeftOut(SortedSet<String> leftOut) {
        return leftOut.isEmpty() ? null
                : "left out: " + String.join(", ", leftOut) + " (in user_logins, not carried to ClickHouse: the event carries "
                        + String.join(", ", new TreeSet<>(SourceColumns.CARRIED)) + ")";
    }

    /**
     * A line for a Kafka cluster (more than one controller voter; a single broker prints nothing):
     * which brokers answer, the active controller, and the partitions not fully replicated, which
     * stay so after a node died until it is back and has caught up.
     */
    private static void kafkaCluster(OpsSettings s) {
        try (KafkaProbe k = new KafkaProbe(s)) {
            KafkaProbe.ClusterHealth h = k.clusterHealth();
            if (h.voters().size() > 1) {
                System.out.printf("%-11s %s%n", "kafka", describe(h));
            }
        } catch (Exception e) {
            System.out.printf("%-11s cluster ? (%s)%n", "kafka", e.getMessage());
        }
    }

    static String describe(KafkaProbe.ClusterHealth h) {
        List<Integer> missing = h.voters().stream().filter(v -> !h.brokers().contains(v)).toList();
        return String.format("brokers %s of %d answer%s; active controller %d; under-replicated partitions %d of %d%s",
                h.brokers(), h.voters().size(), missing.isEmpty() ? "" : " (" + missing + " not)", h.controller(),
                h.underReplicated(), h.partitions(), h.offline() == 0 ? "" : "; OFFLINE (no leader) " + h.offline());
    }

    private static String dlqByReason(OpsSettings s) {
        try {
            return "by reason: " + DlqReasons.read(s).describe() + " (./pipeline redrive re-publishes them)";
        } catch (Exception e) {
            return "by reason: ? (" + e.getMessage() + ")";
        }
    }

    private static Map<String, Integer> services(OpsSettings s) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(Snapshot.CAPTURE, s.captureOpsPort());
        ports.put(Snapshot.PROCESSOR, s.processorOpsPort());
        ports.put(Snapshot.WRITER, s.writerOpsPort());
        return ports;
    }

    private static boolean healthy(int port) {
        try {
            return get(port, "/health").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Capture's count of events Kafka acknowledged, -1 when its /metrics cannot be read. */
    private static long capturePublished(int port) {
        try {
            HttpResponse<String> r = get(port, "/metrics");
            return r.statusCode() == 200 ? CaptureCounter.value(r.body(), CaptureCounter.PUBLISHED) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void print(OpsSettings s, Snapshot before, Snapshot n, String verdict) {
        System.out.printf("%-11s %s; slot %s%n", "postgres", backlog(n.backlog()), slot(before.slot(), n.slot()));
        if (n.unsent() > 0) {
            System.out.printf("%-11s %s%n", "capture", capture(CaptureView.of(before, n), n.unsent()));
        }
        System.out.printf("%-11s %s%n", "publication", CaptureView.describe(n.publication()));
        System.out.printf("%-11s end offsets %s %s, %s %s; %s %s records%n", "topics", s.eventsTopic(), count(n.eventsEnd()),
                s.cleanTopic(), count(n.cleanEnd()), s.dlqTopic(), count(n.dlqSize()));
        System.out.printf("%-11s %s %s, %s %s%n", "lag", s.processorGroup(), count(n.processorLag()), s.writerGroup(),
                count(n.writerLag()));
        System.out.printf("%-11s %s %s rows (FINAL), %s raw%n", "clickhouse", s.table(), count(n.clickHouseFinal()),
                count(n.clickHouseRaw()));
        System.out.printf("%-11s %s%n", "verdict", verdict);
    }

    static String backlog(Backlog b) {
        if (b == null) {
            return "backlog ? rows";
        }
        String line = "backlog " + count(b.rows()) + " rows (sent_to_kafka FALSE or NULL)";
        if (b.rows() == 0) {
            return line;
        }
        if (b.oldestAgeSeconds() >= 0) {
            return line + ", oldest " + Durations.human(b.oldestAgeSeconds()) + " old" + (b.ageUnknown() == null ? "" : " (" + b.ageUnknown() + ")");
        }
        return line + ", " + b.ageUnknown();
    }

    static String slot(Slot before, Slot s) {
        if (s == null) {
            return "?";
        }
        if (!s.exists()) {
            return s.name() + " (no slot)";
        }
        boolean advancing = before != null && before.exists() && s.confirmedLsn() > before.confirmedLsn();
        return s.name() + " " + (s.active() ? "active" : "inactive") + (advancing ? ", advancing" : "")
                + ", lag " + (s.lagBytes() < 0 ? "?" : count(s.lagBytes()) + " B")
                + ("lost".equals(s.walStatus()) ? ", WAL lost" : "");
    }

    /** Whether capture will publish the unsent rows (and how soon), or why it cannot see them. */
    static String capture(CaptureView view, long unsent) {
        if (!view.seesInserts()) {
            return "cannot see the " + count(unsent) + " unsent rows: " + String.join("; ", view.blind());
        }
        long eta = view.secondsFor(unsent);
        String line = "will publish the " + count(unsent) + " unsent rows"
                + (eta >= 0 ? String.format(": %,.0f rows/s, done in ~%s", view.rowsPerSecond(), Durations.human(eta))
                        : " (it published nothing between the readings)");
        return view.updatesBlind() == null ? line : line + "; not rows set back to FALSE or NULL by an UPDATE (" + view.updatesBlind() + ")";
    }

    private static String count(long n) {
        return n < 0 ? "?" : String.format("%,d", n);
    }
}
