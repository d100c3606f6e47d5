package org.userlogins.bench.pipeline;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.userlogins.bench.config.BenchSettings;
import org.userlogins.bench.load.Postgres;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.ops.launch.IsolatedRun;
import org.userlogins.ops.launch.ServiceJvm;

/**
 * The bench's own pipeline on the shared servers: its own topics, slot, offsets topic, application
 * id, group and ClickHouse database (suffix unique per run), so it never touches user data.
 * {@link #close()} stops the services and removes every one of those, the slot first (a slot
 * nobody reads retains WAL).
 */
public final class IsolatedPipeline implements AutoCloseable {
    private final BenchSettings settings;
    private final IsolatedRun run = IsolatedRun.of("bench");
    private final ServiceJvm jvm;
    private final Map<String, String> env = new HashMap<>();
    private final Admin admin;
    private final List<ServiceProcess> services = new ArrayList<>();
    private ServiceProcess captureAlone;
    private boolean closed;

    public IsolatedPipeline(BenchSettings settings) {
        this.settings = settings;
        env.putAll(settings.env());
        env.remove("CAPTURE_OFFSETS_FILE");
        env.putAll(run.env());
        this.jvm = settings.jvm();
        env.put("WRITER_TABLE", "user_logins");
        this.admin = Admin.create(KafkaProbe.adminConfig(settings.ops()));
    }

    /** The bench topics, as ./pipeline up creates the real ones, and the producer reference's twin of the events topic. */
    public void createTopics() throws Exception {
        List<TopicSpec> topics = new ArrayList<>(TopicSpec.pipeline(env.get("KAFKA_TOPIC_EVENTS"), env.get("KAFKA_TOPIC_CLEAN"),
                env.get("KAFKA_TOPIC_DLQ")));
        topics.add(TopicSpec.events(producerReferenceTopic()));
        TopicSetup.create(admin, topics);
    }

    /** Starts the three services at once, then waits until each is healthy. */
    public List<ServiceProcess> start() throws Exception {
        Path logDir = settings.workDir().resolve("logs");
        Path state = Files.createTempDirectory("bench-processor-state-");
        for (String module : BenchSettings.SERVICES) {
            Map<String, String> own = new HashMap<>(env);
            int port = freePort();
            own.put(IsolatedRun.opsPortVariable(module), String.valueOf(port));
            own.put("PROCESSOR_STATE_DIR", state.toString());
            Path jfr = settings.jfrServices().contains(module) ? settings.workDir().resolve(module + ".jfr") : null;
            services.add(ServiceProcess.launch(jvm, module, jfr, own, port, logDir));
        }
        for (ServiceProcess s : services) {
            s.awaitHealthy(Duration.ofSeconds(120));
        }
        return List.copyOf(services);
    }

    /**
     * The environment of capture by itself and of Debezium's no-op engine: the pipeline's, with a
     * slot, offsets topic and events topic of their own, so that the backfill's capture starts afresh.
     */
    public Map<String, String> captureAloneEnv() {
        Map<String, String> own = new HashMap<>(env);
        own.put("CAPTURE_SLOT", run.slot("alone"));
        own.put("CAPTURE_OFFSETS_TOPIC", run.topicPrefix() + "alone-capture-offsets");
        own.put("KAFKA_TOPIC_EVENTS", captureAloneTopic());
        return own;
    }

    /** For Debezium's no-op engine: capture's environment with a slot of its own. */
    public Map<String, String> noOpEngineEnv() {
        Map<String, String> own = captureAloneEnv();
        own.put("CAPTURE_SLOT", run.slot("noop"));
        return own;
    }

    public String captureAloneTopic() {
        return run.topicPrefix() + "alone-events";
    }

    /** Launches cdc-capture by itself on {@link #captureAloneEnv()} (its topic made first), without waiting. */
    public ServiceProcess launchCaptureAlone() throws Exception {
        TopicSetup.create(admin, List.of(TopicSpec.events(captureAloneTopic())));
        Map<String, String> own = captureAloneEnv();
        int port = freePort();
        own.put("CAPTURE_OPS_PORT", String.valueOf(port));
        Path jfr = settings.jfrServices().contains("cdc-capture") ? settings.workDir().resolve("cdc-capture-alone.jfr") : null;
        captureAlone = ServiceProcess.launch(jvm, "cdc-capture", jfr, own, port,
                settings.workDir().resolve("logs/alone"));
        return captureAlone;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    public void requireServicesAlive() {
        services.forEach(ServiceProcess::requireAlive);
    }

    /** Settings as the probes read them, pointed at the bench's topics and ClickHouse database. */
    public OpsSettings opsSettings() {
        return OpsSettings.fromEnv(new Env(env));
    }

    /** For the bench's own twin table and cleanup: see {@link OpsSettings#asClickHouseAdmin}. */
    public OpsSettings adminOpsSettings() {
        return OpsSettings.asClickHouseAdmin(env);
    }

    public String clickHouseDatabase() {
        return env.get("CLICKHOUSE_DATABASE");
    }

    public String producerReferenceTopic() {
        return run.topicPrefix() + "producer-reference";
    }

    public Admin admin() {
        return admin;
    }

    /** Stops the services, then removes the slot, the topics, the groups and the ClickHouse database; each step even if one fails. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ServiceProcess s : services) {
            attempt("stop " + s.module(), s::stop);
        }
        if (captureAlone != null) {
            attempt("stop cdc-capture (alone)", captureAlone::stop);
        }
        for (String slot : List.of(env.get("CAPTURE_SLOT"), captureAloneEnv().get("CAPTURE_SLOT"), noOpEngineEnv().get("CAPTURE_SLOT"))) {
            attempt("drop slot " + slot, () -> {
                try (Postgres pg = Postgres.connect(settings.ops())) {
                    pg.dropSlot(slot, Duration.ofSeconds(10));
                }
            });
        }
        attempt("delete topics", () -> {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(run.topicPrefix())).toList();
            admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
        });
        attempt("delete groups", () -> admin.deleteConsumerGroups(
                List.of(env.get("PROCESSOR_APPLICATION_ID"), env.get("WRITER_GROUP_ID"))).all().get(30, TimeUnit.SECONDS));
        attempt("drop ClickHouse database", () -> {
            try (ClickHouseProbe ch = new ClickHouseProbe(adminOpsSettings())) {
                ch.query("DROP DATABASE IF EXISTS `" + clickHouseDatabase() + "`");
            }
        });
        admin.close(Duration.ofSeconds(10));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(String what, Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("warning: bench cleanup: " + what + " failed: " + e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
