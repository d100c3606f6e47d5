package org.userlogins.ops.launch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The names that keep a run of the pipeline (the bench's, the end-to-end tests') apart from the live
 * one on the same servers: its own topics, slot, offsets topic, application id, group and
 * ClickHouse database, all under {@code <kind>-<id>}.
 */
public record IsolatedRun(String kind, String id) {

    public static IsolatedRun of(String kind) {
        return new IsolatedRun(kind, UUID.randomUUID().toString().replace("-", "").substring(0, 10));
    }

    /** What every Kafka name of the run starts with: {@code <kind>-<id>-}. */
    public String topicPrefix() {
        return kind + "-" + id + "-";
    }

    /** A replication slot's name (letters, digits and underscores only). */
    public String slot(String suffix) {
        return kind + "_" + id + (suffix.isEmpty() ? "" : "_" + suffix);
    }

    /** The services' settings that name what the run owns. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_TOPIC_EVENTS", topicPrefix() + "events");
        env.put("KAFKA_TOPIC_CLEAN", topicPrefix() + "clean");
        env.put("KAFKA_TOPIC_DLQ", topicPrefix() + "dlq");
        env.put("CAPTURE_SLOT", slot(""));
        env.put("CAPTURE_OFFSETS_TOPIC", topicPrefix() + "capture-offsets");
        env.put("PROCESSOR_APPLICATION_ID", topicPrefix() + "processor");
        env.put("WRITER_GROUP_ID", topicPrefix() + "writer");
        env.put("CLICKHOUSE_DATABASE", "pipeline_" + kind + "_" + id);
        return env;
    }

    /** The variable that sets a service's ops port: CAPTURE_OPS_PORT, PROCESSOR_OPS_PORT or WRITER_OPS_PORT. */
    public static String opsPortVariable(String service) {
        return ServiceJvm.prefix(service) + "_OPS_PORT";
    }
}
