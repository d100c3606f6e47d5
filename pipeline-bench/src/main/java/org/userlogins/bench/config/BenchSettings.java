package org.userlogins.bench.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.launch.ServiceJvm;

/**
 * What one bench run does and where: the mode's sizes (full: the 1M rows and 60 s phases;
 * quick: 100k rows and 10 s phases, for CI; --capture: only cdc-capture alone beside Debezium's
 * no-op engine; --latency: only the fixed rates (and the soak), for tuning the waits; --soak: also a fixed rate for BENCH_SOAK, 10 minutes, watching ClickHouse's parts), the stack's connection settings (the services'
 * variables, read through {@link OpsSettings}), and where the jars, PIDs and report live.
 */
public record BenchSettings(
        boolean quick,
        boolean captureOnly,
        boolean latencyOnly,
        int rows,
        Duration phase,
        List<Integer> latencyRates,
        Duration soak,
        int soakRate,
        int streamingThreads,
        int streamingBatchRows,
        Duration stallTimeout,
        Path root,
        Path runDir,
        Path workDir,
        Path report,
        Path compare,
        Set<String> jfrServices,
        Map<String, String> env,
        OpsSettings ops) {

    public static final List<String> SERVICES = List.of("cdc-capture", "stream-processor", "ch-writer");

    public static BenchSettings fromArgs(String[] args, Map<String, String> environment) {
        boolean quick = false;
        boolean captureOnly = false;
        boolean latencyOnly = false;
        boolean soak = false;
        Path report = null;
        Path compare = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--capture" -> captureOnly = true;
                case "--latency" -> latencyOnly = true;
                case "--soak" -> soak = true;
                case "--report" -> {
                    if (i + 1 == args.length) {
                        throw new ConfigException("--report needs a file path");
                    }
                    report = Path.of(args[++i]);
                }
                case "--compare" -> {
                    if (i + 1 == args.length || !Files.isReadable(Path.of(args[i + 1]))) {
                        throw new ConfigException("--compare needs the path of an earlier report (JSON) that can be read");
                    }
                    compare = Path.of(args[++i]);
                }
                default -> throw new ConfigException("unknown option " + args[i] + "; usage: bench [--quick] [--capture | --latency] [--soak] [--report FILE] [--compare EARLIER.json]");
            }
        }
        Env env = new Env(environment);
        Path root = Path.of(env.string("BENCH_ROOT", ".")).toAbsolutePath().normalize();
        Path state = Path.of(env.string("PIPELINE_STATE_DIR", root.resolve(".local").toString()));
        Path workDir = state.resolve("bench");
        Set<String> jfr = Set.of(env.string("BENCH_JFR", "").split(","));
        for (String service : jfr) {
            if (!service.isEmpty() && !SERVICES.contains(service)) {
                throw new ConfigException("BENCH_JFR=" + service + " is not a service; use one of " + SERVICES);
            }
        }
        return new BenchSettings(
                quick,
                captureOnly,
                latencyOnly,
                env.integer("BENCH_ROWS", quick ? 100_000 : 1_000_000, 1_000, 50_000_000),
                env.duration("BENCH_PHASE", quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60)),
                List.of(100, 1_000, 10_000),
                soak ? env.duration("BENCH_SOAK", Duration.ofMinutes(10)) : Duration.ZERO,
                env.integer("BENCH_SOAK_RATE", 10_000, 100, 100_000),
                env.integer("BENCH_INSERT_THREADS", 2, 1, 16),
                1_000,
                env.duration("BENCH_STALL_TIMEOUT", Duration.ofMinutes(2)),
                root,
                state.resolve("run"),
                workDir,
                report != null ? report : workDir.resolve("report.json"),
                compare,
                jfr,
                Map.copyOf(environment),
                OpsSettings.fromEnv(env));
    }

    /** The database the bench owns: it truncates user_logins there at start and at the end. */
    public String pgDatabase() {
        return ops.jdbcUrl().substring(ops.jdbcUrl().lastIndexOf('/') + 1);
    }

    public String mode() {
        return (quick ? "quick" : "full") + (captureOnly ? ", capture only" : "") + (latencyOnly ? ", latency only" : "");
    }

    /** The services' JVM as ./pipeline runs them (stack/service-jvm.env); CAPTURE_HEAP etc. in the environment override it. */
    public ServiceJvm jvm() {
        return ServiceJvm.load(root);
    }

    /** The service settings set in the caller's environment: a report says what it measured. */
    public Map<String, String> serviceOverrides() {
        return new java.util.TreeMap<>(env.entrySet().stream()
                .filter(e -> e.getKey().matches("(CAPTURE|PROCESSOR|WRITER)_[A-Z_]+")
                        && !e.getKey().endsWith("PASSWORD") && !e.getKey().endsWith("_OPS_PORT")
                        && !e.getKey().equals("CAPTURE_PGUSER"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
