package org.userlogins.capture.config;

import java.util.Properties;

/** The embedded engine's configuration, a pure function of {@link CaptureSettings}. */
public final class DebeziumProperties {
    /** Written by the heartbeat: it moves the slot's confirmed position past WAL that the publication hides. */
    public static final String HEARTBEAT_QUERY = "SELECT pg_logical_emit_message(false,'heartbeat',now()::varchar)";

    private DebeziumProperties() {
    }

    public static Properties of(CaptureSettings s) {
        Properties p = new Properties();
        // The slot names the engine and the offsets' key: offsets belong to exactly one slot.
        p.setProperty("name", s.slotName());
        p.setProperty("topic.prefix", s.slotName());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.hostname", s.pgHost());
        p.setProperty("database.port", Integer.toString(s.pgPort()));
        p.setProperty("database.dbname", s.pgDatabase());
        p.setProperty("database.user", s.pgUser());
        p.setProperty("database.password", s.pgPassword());
        s.pgTls().jdbcProperties().forEach((name, value) -> p.setProperty("database." + name, value));
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", s.slotName());
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("publication.name", s.publication());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", s.table());
        // The publication's row filter (sent_to_kafka IS NOT TRUE) makes every change that leaves a row
        // unsent an insert or an update; capture's own flag writes reach the stream as deletes.
        p.setProperty("skipped.operations", "d,t");
        p.setProperty("tombstones.on.delete", "false");
        // when_needed: a dropped slot or lost offsets re-snapshot the unsent rows instead of failing (initial would).
        p.setProperty("snapshot.mode", "when_needed");
        p.setProperty("snapshot.select.statement.overrides", s.table());
        p.setProperty("snapshot.select.statement.overrides." + s.table(), s.snapshotSelect());
        // adaptive: timestamp(0-3) arrives as Timestamp (ms), timestamp(4-6) as MicroTimestamp, timestamptz
        // as ZonedTimestamp; EventTimes converts each by its schema name.
        p.setProperty("time.precision.mode", "adaptive");
        p.setProperty("heartbeat.interval.ms", Long.toString(s.heartbeatInterval().toMillis()));
        p.setProperty("heartbeat.action.query", HEARTBEAT_QUERY);
        p.setProperty("max.batch.size", Integer.toString(s.maxBatchSize()));
        p.setProperty("max.queue.size", Integer.toString(s.maxQueueSize()));
        p.setProperty("max.queue.size.in.bytes", Long.toString(s.maxQueueBytes()));
        p.setProperty("snapshot.fetch.size", Integer.toString(s.snapshotFetchRows()));
        p.setProperty("poll.interval.ms", Long.toString(s.pollInterval().toMillis()));
        p.setProperty("offset.flush.interval.ms", Long.toString(s.offsetFlushInterval().toMillis()));
        p.setProperty("offset.flush.timeout.ms", "10000");
        offsets(s, p);
        return p;
    }

    /**
     * Kafka is the default store: the service then keeps no local state (no volume in a container),
     * the offsets live in the cluster that holds the events, and losing them costs only a re-snapshot
     * of the unsent rows. A file is for running without that topic (CAPTURE_OFFSETS_FILE).
     */
    private static void offsets(CaptureSettings s, Properties p) {
        if (s.offsetsFile() != null) {
            p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            p.setProperty("offset.storage.file.filename", s.offsetsFile());
            return;
        }
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("bootstrap.servers", s.kafkaBootstrapServers());
        p.setProperty("offset.storage.topic", s.offsetsTopic());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(s.offsetsReplicationFactor()));
        // The store's producer, consumer and admin client are configured from the engine's own
        // top-level properties (Kafka's KafkaOffsetBackingStore uses the worker config's originals),
        // so TLS/SASL go in unprefixed. Connector settings win on a clash: KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS
        // means the consumers' heartbeat, not Debezium's heartbeat.interval.ms.
        s.kafkaClient().properties().forEach(p::putIfAbsent);
    }
}
