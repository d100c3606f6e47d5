package org.userlogins.ops.replay;

import java.time.Instant;
import org.apache.kafka.clients.admin.Admin;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.KafkaProbe;

/**
 * Command line: resets the writer's group on the clean topic so the writer re-reads from the start
 * or from a time, never moving a partition past records the group has not stored (see
 * {@link ReplayPlan}); prints each partition's move or why it kept its offset, and the totals.
 * Behind {@code ./pipeline replay} ({@code java -jar pipeline-ops.jar replay ...}). Uses
 * KAFKA_BOOTSTRAP_SERVERS, KAFKA_CLIENT_*, KAFKA_TOPIC_CLEAN, WRITER_GROUP_ID. Exit codes: 0 done,
 * 2 bad arguments, 3 the group is active (stop the writer), 1 other failure.
 * A command-line tool, so it prints to stdout.
 */
public final class ReplayTool {
    private ReplayTool() {
    }

    public static int run(String[] args, OpsSettings settings) {
        ReplayTarget target;
        try {
            target = ReplayTarget.parse(args, Instant.now());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        String topic = settings.cleanTopic();
        String group = settings.writerGroup();
        try (Admin admin = Admin.create(KafkaProbe.adminConfig(settings))) {
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
