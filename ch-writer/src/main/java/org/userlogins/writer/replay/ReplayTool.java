package org.userlogins.writer.replay;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.userlogins.events.Topics;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.KafkaClientOverrides;

/**
 * Command line: resets the writer's group on the clean topic so the writer re-reads from the start
 * or from a time, never moving a partition past records the group has not stored (see
 * {@link ReplayPlan}); prints each partition's move or why it kept its offset, and the totals.
 * Reads KAFKA_BOOTSTRAP_SERVERS, KAFKA_CLIENT_*, KAFKA_TOPIC_CLEAN, WRITER_GROUP_ID. Exit codes:
 * 0 done, 2 bad arguments or settings, 3 the group is active (stop the writer), 1 other failure.
 * A command-line tool, so it prints to stdout.
 */
public final class ReplayTool {
    private ReplayTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Env.system()));
    }

    public static int run(String[] args, Env env) {
        ReplayTarget target;
        Map<String, Object> adminConfig;
        String topic;
        String group;
        try {
            target = ReplayTarget.parse(args, Instant.now());
            adminConfig = new HashMap<>(KafkaClientOverrides.fromEnv(env).properties()); // TLS/SASL, as the writer has
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
            topic = env.topic("KAFKA_TOPIC_CLEAN", Topics.USER_EVENTS_CLEAN);
            group = env.string("WRITER_GROUP_ID", Topics.WRITER_GROUP);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            ReplayPlan plan = new OffsetReset(admin).reset(group, topic, target);
            System.out.printf("%s group %s on %s to %s:%n%s",
                    target.dryRun() ? "would reset (dry run)" : "reset", group, topic, target.describe(), plan.describe());
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            return 3;
        } catch (Exception e) {
            System.err.println("error: replay failed: " + e);
            return 1;
        }
    }
}
