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
import java.util.Properties;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.DlqReasons;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.ops.probe.PostgresProbe;

/** `./pipeline status`: every stage on one screen, and a verdict from two readings a second apart. */
public final class PipelineStatus {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PipelineStatus() {
    }

    public static int run(OpsSettings s) throws InterruptedException {
        Snapshot before = read(s);
        Thread.sleep(1000);
        Snapshot after = read(s);
        print(s, after, Verdict.of(before, after));
        if (after.dlqSize() > 0) {
            System.out.printf("%-11s %s%n", "dlq", dlqByReason(s));
        }
        return 0;
    }

    static Snapshot read(OpsSettings s) {
        List<String> problems = new ArrayList<>();
        List<String> down = new ArrayList<>();
        services(s).forEach((name, port) -> {
            if (port != 0 && !healthy(port)) {
                down.add(name);
            }
        });
        long backlog = -1;
        long slotLag = -1;
        try (PostgresProbe pg = new PostgresProbe(s)) {
            backlog = pg.backlog();
            slotLag = pg.slotLagBytes();
        } catch (Exception e) {
            problems.add("PostgreSQL unreachable (" + e.getMessage() + ")");
        }
        long[] kafka = {-1, -1, -1, -1, -1};
        try (KafkaProbe k = new KafkaProbe(s)) {
            kafka = new long[] {k.endOffsetSum(s.eventsTopic()), k.endOffsetSum(s.cleanTopic()), k.size(s.dlqTopic()),
                k.lag(s.processorGroup(), s.eventsTopic()), k.lag(s.writerGroup(), s.cleanTopic())};
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
        return new Snapshot(down, backlog, slotLag, kafka[0], kafka[1], kafka[2], kafka[3], kafka[4], chFinal, chRaw, problems);
    }

    private static String dlqByReason(OpsSettings s) {
        Properties client = new Properties();
        client.put("bootstrap.servers", s.kafka());
        try {
            return "by reason: " + DlqReasons.read(client, s.dlqTopic()).describe() + " (./pipeline redrive re-publishes them)";
        } catch (Exception e) {
            return "by reason: ? (" + e.getMessage() + ")";
        }
    }

    private static Map<String, Integer> services(OpsSettings s) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("cdc-capture", s.captureOpsPort());
        ports.put("stream-processor", s.processorOpsPort());
        ports.put("ch-writer", s.writerOpsPort());
        return ports;
    }

    private static boolean healthy(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static void print(OpsSettings s, Snapshot n, String verdict) {
        System.out.printf("%-11s backlog %s rows (sent_to_kafka = FALSE), slot %s lag %s%n", "postgres",
                count(n.backlog()), s.captureSlot(), n.slotLagBytes() < 0 ? "(no slot)" : count(n.slotLagBytes()) + " B");
        System.out.printf("%-11s end offsets %s %s, %s %s; %s %s records%n", "topics", s.eventsTopic(), count(n.eventsEnd()),
                s.cleanTopic(), count(n.cleanEnd()), s.dlqTopic(), count(n.dlqSize()));
        System.out.printf("%-11s %s %s, %s %s%n", "lag", s.processorGroup(), count(n.processorLag()), s.writerGroup(),
                count(n.writerLag()));
        System.out.printf("%-11s %s %s rows (FINAL), %s raw%n", "clickhouse", s.table(), count(n.clickHouseFinal()),
                count(n.clickHouseRaw()));
        System.out.printf("%-11s %s%n", "verdict", verdict);
    }

    private static String count(long n) {
        return n < 0 ? "?" : String.format("%,d", n);
    }
}
