package org.userlogins.ops.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.ClickHouseClients;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;

/**
 * `./pipeline preflight` (and the first step of `up --external`): checks, with the services' own
 * credentials and TLS/SASL settings, that each server they did not start has what they need, and
 * prints for each gap what to run on that server. Exit 0 when nothing is missing.
 */
public final class Preflight {
    private Preflight() {
    }

    public static int run(String[] args, OpsSettings settings, Env env) throws IOException, InterruptedException {
        Path fixesDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--write-fixes") && i + 1 < args.length) {
                fixesDir = Path.of(args[++i]);
            } else {
                throw new ConfigException("unknown option " + args[i] + "; use [--write-fixes DIR]");
            }
        }
        List<Finding> findings = new ArrayList<>();
        findings.addAll(postgres(settings, env).check());
        findings.addAll(new KafkaPreflight(settings.kafkaClientConfig(), settings.kafka(),
                TopicSpec.pipeline(settings.eventsTopic(), settings.cleanTopic(), settings.dlqTopic()),
                env.string("CAPTURE_OFFSETS_FILE", null) == null ? env.topic("CAPTURE_OFFSETS_TOPIC", "user_logins_capture_offsets") : null)
                .check());
        String database = settings.table().replace("`", "").split("\\.")[0];
        try (var client = ClickHouseClients.build(settings.clickHouseUrl(), settings.clickHouseUser(), settings.clickHousePassword(),
                settings.clickHouseRootCert(), settings.clickHouseClient(), b -> b)) {
            String engine = env.string("WRITER_TABLE_ENGINE", "ReplacingMergeTree").split("\\(", 2)[0].trim();
            findings.addAll(new ClickHousePreflight(client, settings.clickHouseUrl(), settings.clickHouseUser(), database, engine).check());
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            findings.add(Finding.missing("clickhouse", "reach " + settings.clickHouseUrl(), e.getMessage(),
                    "check CLICKHOUSE_URL, CLICKHOUSE_SSL_ROOT_CERT and the CLICKHOUSE_CLIENT_* settings"));
        }
        System.out.print(report(findings));
        if (fixesDir != null) {
            writeFixes(findings, fixesDir);
        }
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.MISSING) ? 1 : 0;
    }

    private static PostgresPreflight postgres(OpsSettings settings, Env env) {
        String role = env.string("CAPTURE_PGUSER", "cdc_capture");
        Properties login = new Properties();
        login.setProperty("user", role);
        login.setProperty("password", env.secret("CAPTURE_PGPASSWORD", ""));
        login.putAll(settings.pgTls().jdbcProperties());
        return new PostgresPreflight(settings.jdbcUrl(), login, role, env.string("CAPTURE_TABLE", "public.user_logins"),
                settings.capturePublication(), settings.captureSlot());
    }

    /** Each finding on a line; then, when something is missing, what to run, server by server. */
    static String report(List<Finding> findings) {
        StringBuilder out = new StringBuilder("preflight: the servers named by the environment, as the services will use them\n");
        for (Finding f : findings) {
            String mark = switch (f.status()) {
                case OK -> "ok";
                case MISSING -> "MISSING";
                case UNCONFIRMED -> "?";
            };
            out.append(String.format("  %-8s %-11s %s%s%n", mark, f.server(), f.what(), f.detail().isEmpty() ? "" : ": " + f.detail()));
        }
        long missing = findings.stream().filter(f -> f.status() == Finding.Status.MISSING).count();
        if (missing == 0) {
            out.append("nothing missing: ./pipeline up --external starts the services against these servers\n");
            return out.toString();
        }
        out.append(missing).append(" missing. Run on each server what follows (an administrator's session), then the preflight again:\n");
        for (String server : List.of("postgres", "kafka", "clickhouse")) {
            String fixes = fixes(findings, server);
            if (!fixes.isEmpty()) {
                out.append("\n").append(server.equals("kafka") ? "# " : "-- ").append(server).append('\n').append(fixes).append('\n');
            }
        }
        return out.toString();
    }

    private static String fixes(List<Finding> findings, String server) {
        return findings.stream().filter(f -> f.status() == Finding.Status.MISSING && f.server().equals(server))
                .map(Finding::fix).distinct().collect(Collectors.joining("\n"));
    }

    /** postgres.sql, kafka.sh and clickhouse.sql: the same fixes, as files an administrator can review and run. */
    private static void writeFixes(List<Finding> findings, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("postgres.sql"), fixes(findings, "postgres") + "\n");
        Files.writeString(dir.resolve("kafka.sh"), fixes(findings, "kafka") + "\n");
        Files.writeString(dir.resolve("clickhouse.sql"), fixes(findings, "clickhouse") + "\n");
    }
}
