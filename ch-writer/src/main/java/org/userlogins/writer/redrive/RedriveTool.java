package org.userlogins.writer.redrive;

import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.userlogins.events.Topics;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.KafkaClientOverrides;

/**
 * Command line behind {@code ./pipeline redrive [--reason R] [--since T] [--dry-run]}. Reads
 * KAFKA_BOOTSTRAP_SERVERS, KAFKA_CLIENT_*, KAFKA_TOPIC_DLQ, KAFKA_TOPIC_EVENTS, KAFKA_TOPIC_CLEAN. Exit codes: 0
 * done, 2 bad arguments or settings, 1 failure. A command-line tool, so it prints to stdout.
 */
public final class RedriveTool {
    private RedriveTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Env.system()));
    }

    public static int run(String[] args, Env env) {
        RedriveFilter filter;
        Redrive redrive;
        String dlq;
        try {
            filter = RedriveFilter.parse(args);
            dlq = env.topic("KAFKA_TOPIC_DLQ", Topics.USER_EVENTS_DLQ);
            Properties client = new Properties();
            client.putAll(KafkaClientOverrides.fromEnv(env).properties()); // TLS/SASL, as the writer has
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
            redrive = new Redrive(client, dlq, Set.of(env.topic("KAFKA_TOPIC_EVENTS", Topics.USER_EVENTS),
                    env.topic("KAFKA_TOPIC_CLEAN", Topics.USER_EVENTS_CLEAN)));
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
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
