package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * A slot PostgreSQL invalidated (wal_status = lost) cannot be streamed from again: capture says
 * exactly that with the recovery, exit 2 (the supervisor does not restart a configuration error),
 * instead of failing the same way at every restart. Needs a cluster of its own, started by
 * ./pipeline, because invalidating a slot takes a tiny max_slot_wal_keep_size, which would endanger
 * the shared cluster's slots.
 */
class SlotLostIT {
    private static final String SLOT = "capture_it_lost";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldRefuseToStartOnAnInvalidatedSlotWithTheRecoveryInsteadOfCrashLooping() throws Exception {
        Path state = Files.createTempDirectory("capture-slot-lost-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Map<String, String> stack = new HashMap<>();
        stack.put("PIPELINE_STATE_DIR", state.toString());
        stack.put("PGPORT", Integer.toString(freePort()));
        stack.put("PGDATABASE", "pipeline");
        stack.put("PGUSER", "postgres");
        stack.put("PGPASSWORD", "it-" + UUID.randomUUID());
        stack.put("CAPTURE_PGPASSWORD", "it-" + UUID.randomUUID());
        pipeline(stack, "server", "start", "postgres");
        try {
            String url = "jdbc:postgresql://127.0.0.1:" + stack.get("PGPORT") + "/pipeline";
            try (Connection db = DriverManager.getConnection(url, "postgres", stack.get("PGPASSWORD")); Statement st = db.createStatement()) {
                st.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
                st.execute("SELECT pg_reload_conf()");
                st.execute("SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ZERO).until(() -> {
                    st.execute("INSERT INTO user_logins (username, event_type, event_time) SELECT 'wal', 'login', now() FROM generate_series(1, 50000)");
                    st.execute("SELECT pg_switch_wal()");
                    st.execute("CHECKPOINT");
                    return "lost".equals(walStatus(st));
                });
            }

            Map<String, String> env = new HashMap<>();
            env.put("PGHOST", "127.0.0.1");
            env.put("PGPORT", stack.get("PGPORT"));
            env.put("PGDATABASE", "pipeline");
            env.put("CAPTURE_PGUSER", "cdc_capture");
            env.put("CAPTURE_PGPASSWORD", stack.get("CAPTURE_PGPASSWORD"));
            env.put("KAFKA_BOOTSTRAP_SERVERS", CaptureTestStack.bootstrap());
            env.put("CAPTURE_SLOT", SLOT);
            env.put("CAPTURE_OPS_PORT", "0");
            ServiceProcess capture = CaptureProcess.run(env, "slot-lost");

            assertThat(capture.exitCode()).isEqualTo(2);
            assertThat(capture.output()).contains("error: replication slot " + SLOT + " was invalidated (wal_status = lost)",
                    "./pipeline drop-slot", "No row is lost");
        } finally {
            pipeline(stack, "server", "stop", "postgres");
            deleteTree(state);
        }
    }

    private static String walStatus(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Runs ./pipeline with this test's own state directory and settings, not the shared stack's. */
    private static void pipeline(Map<String, String> stack, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(ROOT.resolve("pipeline").toString()), Stream.of(args)).toList())
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("CAPTURE_"));
        builder.environment().putAll(stack);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("./pipeline %s: %s", String.join(" ", args), output).isZero();
    }

    private static void deleteTree(Path dir) throws IOException {
        Path target = Files.isSymbolicLink(dir.resolve("postgres")) ? Files.readSymbolicLink(dir.resolve("postgres")).getParent() : null;
        for (Path root : target == null ? List.of(dir) : List.of(dir, target)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
