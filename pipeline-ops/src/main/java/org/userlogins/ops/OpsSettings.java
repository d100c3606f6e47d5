package org.userlogins.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.userlogins.events.Topics;
import org.userlogins.kit.ClickHouseClientOptions;
import org.userlogins.kit.Env;
import org.userlogins.kit.KafkaClientOverrides;
import org.userlogins.kit.PostgresTls;

/**
 * What the operator's tools connect to: the same variables as the services (./pipeline env),
 * TLS and SASL included.
 *
 * @param jdbcUrl the bare URL (the bench reads the database name off its end, the chaos load adds
 *                its own parameters), so TLS travels in {@link #jdbcProperties()} instead
 */
public record OpsSettings(
        String jdbcUrl,
        String pgUser,
        String pgPassword,
        PostgresTls pgTls,
        String captureSlot,
        String capturePublication,
        String kafka,
        KafkaClientOverrides kafkaClient,
        String eventsTopic,
        String cleanTopic,
        String dlqTopic,
        String processorGroup,
        String writerGroup,
        String clickHouseUrl,
        String clickHouseUser,
        String clickHousePassword,
        String clickHouseRootCert,
        ClickHouseClientOptions clickHouseClient,
        String table,
        int captureOpsPort,
        int processorOpsPort,
        int writerOpsPort) {

    /**
     * The same settings, logged in to ClickHouse as CLICKHOUSE_ADMIN_USER when it is set: for the
     * tools' own tables and cleanup (DROP), which the writer's least-privilege user may not do.
     */
    public static OpsSettings asClickHouseAdmin(Map<String, String> env) {
        Map<String, String> admin = new HashMap<>(env);
        if (env.containsKey("CLICKHOUSE_ADMIN_USER")) {
            admin.put("CLICKHOUSE_USER", env.get("CLICKHOUSE_ADMIN_USER"));
            admin.put("CLICKHOUSE_PASSWORD", env.getOrDefault("CLICKHOUSE_ADMIN_PASSWORD", ""));
        }
        return fromEnv(new Env(admin));
    }

    public static OpsSettings fromEnv(Env env) {
        return new OpsSettings(
                "jdbc:postgresql://" + env.string("PGHOST", "127.0.0.1") + ":" + env.string("PGPORT", "5432") + "/"
                        + env.string("PGDATABASE", "pipeline"),
                env.string("PGUSER", "postgres"),
                env.secret("PGPASSWORD", ""),
                PostgresTls.fromEnv(env),
                env.identifier("CAPTURE_SLOT", "user_logins_capture"),
                env.identifier("CAPTURE_PUBLICATION", "user_logins_pub"),
                env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                KafkaClientOverrides.fromEnv(env),
                env.topic("KAFKA_TOPIC_EVENTS", Topics.USER_EVENTS),
                env.topic("KAFKA_TOPIC_CLEAN", Topics.USER_EVENTS_CLEAN),
                env.topic("KAFKA_TOPIC_DLQ", Topics.USER_EVENTS_DLQ),
                env.string("PROCESSOR_APPLICATION_ID", "user-logins-stream-processor"),
                env.string("WRITER_GROUP_ID", Topics.WRITER_GROUP),
                env.string("CLICKHOUSE_URL", "http://127.0.0.1:8123"),
                env.string("CLICKHOUSE_USER", "default"),
                env.secret("CLICKHOUSE_PASSWORD", ""),
                env.readableFile("CLICKHOUSE_SSL_ROOT_CERT"),
                ClickHouseClientOptions.fromEnv(env),
                "`" + env.identifier("CLICKHOUSE_DATABASE", "pipeline") + "`.`" + env.identifier("WRITER_TABLE", "user_logins") + "`",
                env.integer("CAPTURE_OPS_PORT", 8081, 0, 65535),
                env.integer("PROCESSOR_OPS_PORT", 8082, 0, 65535),
                env.integer("WRITER_OPS_PORT", 8083, 0, 65535));
    }

    /** For any Kafka client of the tools: the bootstrap servers and TLS/SASL, as the services have them. */
    public Map<String, Object> kafkaClientConfig() {
        Map<String, Object> config = new HashMap<>(kafkaClient.properties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka);
        return config;
    }

    /** For {@code DriverManager.getConnection(jdbcUrl(), jdbcProperties())}: credentials and TLS. */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", pgUser);
        p.setProperty("password", pgPassword);
        p.putAll(pgTls.jdbcProperties());
        return p;
    }
}
