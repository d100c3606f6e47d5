package org.userlogins.ops;

import org.userlogins.kit.Env;

/** What the operator's tools connect to: the same variables as the services (./pipeline env). */
public record OpsSettings(
        String jdbcUrl,
        String pgUser,
        String pgPassword,
        String captureSlot,
        String kafka,
        String eventsTopic,
        String cleanTopic,
        String dlqTopic,
        String processorGroup,
        String writerGroup,
        String clickHouseUrl,
        String clickHouseUser,
        String clickHousePassword,
        String table,
        int captureOpsPort,
        int processorOpsPort,
        int writerOpsPort) {

    public static OpsSettings fromEnv(Env env) {
        return new OpsSettings(
                "jdbc:postgresql://" + env.string("PGHOST", "127.0.0.1") + ":" + env.string("PGPORT", "5432") + "/"
                        + env.string("PGDATABASE", "pipeline"),
                env.string("PGUSER", "postgres"),
                env.secret("PGPASSWORD", ""),
                env.identifier("CAPTURE_SLOT", "user_logins_capture"),
                env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.topic("KAFKA_TOPIC_EVENTS", "user_events"),
                env.topic("KAFKA_TOPIC_CLEAN", "user_events_clean"),
                env.topic("KAFKA_TOPIC_DLQ", "user_events_dlq"),
                env.string("PROCESSOR_APPLICATION_ID", "user-logins-stream-processor"),
                env.string("WRITER_GROUP_ID", "user-logins-consumer"),
                env.string("CLICKHOUSE_URL", "http://127.0.0.1:8123"),
                env.string("CLICKHOUSE_USER", "default"),
                env.secret("CLICKHOUSE_PASSWORD", ""),
                "`" + env.identifier("CLICKHOUSE_DATABASE", "pipeline") + "`.`" + env.identifier("WRITER_TABLE", "user_logins") + "`",
                env.integer("CAPTURE_OPS_PORT", 8081, 0, 65535),
                env.integer("PROCESSOR_OPS_PORT", 8082, 0, 65535),
                env.integer("WRITER_OPS_PORT", 8083, 0, 65535));
    }
}
