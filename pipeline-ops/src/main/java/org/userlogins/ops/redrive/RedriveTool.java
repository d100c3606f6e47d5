package org.userlogins.ops.redrive;

import java.util.Properties;
import java.util.Set;
import org.userlogins.ops.OpsSettings;

/**
 * Command line behind {@code ./pipeline redrive [--reason R] [--since T] [--dry-run]}
 * ({@code java -jar pipeline-ops.jar redrive ...}). Uses KAFKA_BOOTSTRAP_SERVERS, KAFKA_CLIENT_*,
 * KAFKA_TOPIC_DLQ, KAFKA_TOPIC_EVENTS, KAFKA_TOPIC_CLEAN. Exit codes: 0 done, 2 bad arguments, 1
 * failure. A command-line tool, so it prints to stdout.
 */
public final class RedriveTool {
    private RedriveTool() {
    }

    public static int run(String[] args, OpsSettings settings) {
        RedriveFilter filter;
        try {
            filter = RedriveFilter.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        String dlq = settings.dlqTopic();
        Properties client = new Properties();
        client.putAll(settings.kafkaClientConfig());
        Redrive redrive = new Redrive(client, dlq, Set.of(settings.eventsTopic(), settings.cleanTopic()));
        try {
            RedriveReport report = redrive.run(filter);
            System.out.printf("%s %d records from %s (%s):%n%s", filter.dryRun() ? "would re-drive (dry run)" : "re-drove",
                    filter.dryRun() ? report.planned() : report.redriven(), dlq, filter.describe(), report.describe());
            System.out.printf("%d skipped: their source record was re-driven already (ledger %s), by an earlier run or as another DLQ copy%n",
                    report.alreadyRedriven(), Redrive.ledgerTopic(dlq));
            return 0;
        } catch (Exception e) {
            System.err.println("error: re-drive failed: " + e);
            return 1;
        }
    }
}
