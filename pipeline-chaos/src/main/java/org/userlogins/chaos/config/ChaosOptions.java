package org.userlogins.chaos.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;

/**
 * One run's settings: arguments {@code --duration} (e.g. 3m, 90s, PT2M) and {@code --seed}, the
 * rest from the environment that {@code ./pipeline chaos} exports.
 *
 * @param duration how long the load runs; faults that are required still run after it
 * @param rowsPerSecond the load generator's steady insert rate
 * @param recoveryTarget the promised recovery time (reported against, not enforced)
 * @param recoveryBound how long to wait for recovery before reporting it as exceeded
 * @param drainBound how long to wait after the load stops for every row to arrive
 * @param kafkaCluster the stack runs Kafka as a cluster (PIPELINE_TOPOLOGY=cluster): broker faults join the plan
 */
public record ChaosOptions(
        Duration duration,
        long seed,
        int rowsPerSecond,
        Path pipelineScript,
        Path stateDir,
        Duration recoveryTarget,
        Duration recoveryBound,
        Duration drainBound,
        boolean kafkaCluster) {

    public static ChaosOptions from(String[] args, Env env) {
        Duration duration = Duration.ofMinutes(3);
        long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--duration" -> duration = parseDuration(require(value, "--duration"));
                case "--seed" -> seed = parseSeed(require(value, "--seed"));
                default -> throw new ConfigException("unknown option " + args[i] + " (expected --duration 3m, --seed N)");
            }
            i++;
        }
        if (duration.compareTo(Duration.ofSeconds(30)) < 0 || duration.compareTo(Duration.ofHours(2)) > 0) {
            throw new ConfigException("--duration must be between 30s and 2h, got " + duration);
        }
        return new ChaosOptions(duration, seed,
                env.integer("CHAOS_ROWS_PER_SECOND", 300, 1, 20_000),
                Path.of(env.string("PIPELINE_SCRIPT", "./pipeline")),
                Path.of(env.string("PIPELINE_STATE_DIR", ".local")),
                env.duration("CHAOS_RECOVERY_TARGET", Duration.ofSeconds(30)),
                env.duration("CHAOS_RECOVERY_BOUND", Duration.ofSeconds(180)),
                env.duration("CHAOS_DRAIN_BOUND", Duration.ofSeconds(300)),
                "cluster".equals(env.string("PIPELINE_TOPOLOGY", "single")));
    }

    /** 3m, 90s, 1h, or ISO-8601 (PT2M). */
    public static Duration parseDuration(String text) {
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new ConfigException("--duration " + text + " is not a duration (e.g. 90s, 3m, 1h, PT2M)");
        }
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException("--seed " + text + " is not an integer");
        }
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new ConfigException(option + " needs a value");
        }
        return value;
    }
}
