package org.userlogins.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.userlogins.events.Topics;
import org.userlogins.kit.Env;
import org.userlogins.kit.TopicLeaders;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.check.Reconcile;
import org.userlogins.ops.check.Reconciliation;
import org.userlogins.ops.probe.ClickHouseProbe;

/**
 * A whole pipeline of its own on the shared stack: its own topics, slot, offsets topic, group,
 * application id and ClickHouse database, so it never meets another test's data. The PostgreSQL
 * table is the one table capture reads; the test truncates it first.
 */
final class PipelineUnderTest implements AutoCloseable {
    private final Map<String, String> env = new HashMap<>(System.getenv());
    private final List<ServiceProcess> running = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    PipelineUnderTest() throws Exception {
        env.put("KAFKA_TOPIC_EVENTS", "e2e-" + suffix + "-events");
        env.put("KAFKA_TOPIC_CLEAN", "e2e-" + suffix + "-clean");
        env.put("KAFKA_TOPIC_DLQ", "e2e-" + suffix + "-dlq");
        env.put("CAPTURE_SLOT", "e2e_" + suffix);
        env.put("CAPTURE_OFFSETS_TOPIC", "e2e-" + suffix + "-capture-offsets");
        env.put("PROCESSOR_APPLICATION_ID", "e2e-" + suffix + "-processor");
        env.put("PROCESSOR_SESSION_TIMEOUT", "PT6S");
        env.put("WRITER_GROUP_ID", "e2e-" + suffix + "-writer");
        env.put("CLICKHOUSE_DATABASE", "pipeline_e2e_" + suffix);
        env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS")))) {
            admin.createTopics(List.of(
                    new NewTopic(env.get("KAFKA_TOPIC_EVENTS"), 3, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(env.get("KAFKA_TOPIC_CLEAN"), 3, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(env.get("KAFKA_TOPIC_DLQ"), 3, (short) 1)
                            .configs(Map.of("max.message.bytes", Integer.toString(Topics.DLQ_MAX_MESSAGE_BYTES))))).all().get();
            TopicLeaders.await(admin, List.of(env.get("KAFKA_TOPIC_EVENTS"), env.get("KAFKA_TOPIC_CLEAN"), env.get("KAFKA_TOPIC_DLQ")),
                    Duration.ofSeconds(60)); // else a service's first burst may lose records
        }
        execAsAdmin("TRUNCATE user_logins RESTART IDENTITY");
    }

    ServiceProcess start(String module, String instance) throws IOException {
        Map<String, String> own = new HashMap<>(env);
        int port = freePort();
        own.put(switch (module) {
            case "cdc-capture" -> "CAPTURE_OPS_PORT";
            case "stream-processor" -> "PROCESSOR_OPS_PORT";
            default -> "WRITER_OPS_PORT";
        }, String.valueOf(port));
        own.put("PROCESSOR_STATE_DIR", Files.createTempDirectory("e2e-state-").toString());
        ServiceProcess service = new ServiceProcess(module, instance + "-" + suffix, own, port).start();
        running.add(service);
        return service;
    }

    Map<String, String> env() {
        return env;
    }

    Reconciliation check() throws Exception {
        return Reconcile.compute(OpsSettings.fromEnv(new Env(env)));
    }

    OpsSettings opsSettings() {
        return OpsSettings.fromEnv(new Env(env));
    }

    Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + env.getOrDefault("PGHOST", "127.0.0.1") + ":"
                + env.getOrDefault("PGPORT", "5432") + "/" + env.getOrDefault("PGDATABASE", "pipeline"),
                env.getOrDefault("PGUSER", "postgres"), env.getOrDefault("PGPASSWORD", ""));
    }

    void execAsAdmin(String sql) throws SQLException {
        try (Connection db = admin(); Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    /** Runs the writer's replay tool as ./pipeline replay does; returns its output. */
    String replay(String... args) throws IOException, InterruptedException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("java", "-cp",
                root.resolve("ch-writer/target/ch-writer.jar") + ":" + root.resolve("ch-writer/target/lib") + "/*",
                "org.userlogins.writer.replay.ReplayTool"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("replay failed: " + output);
        }
        return output;
    }

    /** ClickHouse as CLICKHOUSE_ADMIN_USER: for what the writer may not do (stop merges, drop the database). */
    ClickHouseProbe clickHouseAdmin() {
        return new ClickHouseProbe(OpsSettings.asClickHouseAdmin(env));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess s : running) {
            s.stop();
        }
        execAsAdmin("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + env.get("CAPTURE_SLOT") + "' AND NOT active");
        // Dropping is the admin's right, not the writer's (CLICKHOUSE_ADMIN_USER of ./pipeline env).
        try (ClickHouseProbe ch = clickHouseAdmin()) {
            ch.query("DROP DATABASE IF EXISTS `" + env.get("CLICKHOUSE_DATABASE") + "`");
        }
    }
}
