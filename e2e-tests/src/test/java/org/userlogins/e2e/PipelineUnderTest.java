package org.userlogins.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.check.Reconcile;
import org.userlogins.ops.check.Reconciliation;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;
import org.userlogins.ops.launch.IsolatedRun;

/**
 * A whole pipeline of its own on the shared stack: its own topics, slot, offsets topic, group,
 * application id and ClickHouse database, so it never meets another test's data. The PostgreSQL
 * table is the one table capture reads; the test truncates it first.
 */
final class PipelineUnderTest implements AutoCloseable {
    private final Map<String, String> env = new HashMap<>(System.getenv());
    private final List<ServiceUnderTest> running = new ArrayList<>();
    private final IsolatedRun run = IsolatedRun.of("e2e");

    PipelineUnderTest() throws Exception {
        env.putAll(run.env());
        env.put("PROCESSOR_SESSION_TIMEOUT", "PT6S");
        env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS")))) {
            TopicSetup.create(admin, TopicSpec.pipeline(env.get("KAFKA_TOPIC_EVENTS"), env.get("KAFKA_TOPIC_CLEAN"), env.get("KAFKA_TOPIC_DLQ")));
        }
        execAsAdmin("TRUNCATE user_logins RESTART IDENTITY");
    }

    ServiceUnderTest start(String module, String instance) throws IOException, InterruptedException {
        Map<String, String> own = new HashMap<>(env);
        int port = freePort();
        own.put(IsolatedRun.opsPortVariable(module), String.valueOf(port));
        own.put("PROCESSOR_STATE_DIR", Files.createTempDirectory("e2e-state-").toString());
        ServiceUnderTest service = new ServiceUnderTest(module, instance + "-" + run.id(), own, port).start();
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

    /** Runs the replay tool as ./pipeline replay does; returns its output. */
    String replay(String... args) throws IOException, InterruptedException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("java", "-jar", root.resolve("pipeline-ops/target/pipeline-ops.jar").toString(), "replay"));
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
        for (ServiceUnderTest s : running) {
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
