package org.userlogins.capture.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.regex.Pattern;
import org.userlogins.events.Topics;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.InFlightCaps;
import org.userlogins.kit.KafkaClientOverrides;
import org.userlogins.kit.PostgresTls;
import org.userlogins.kit.Secrets;

/**
 * Everything cdc-capture reads from the environment, read once at start. The default sits next to
 * each key; a bad value stops the service with a {@link ConfigException} that names the variable.
 *
 * @param pgTls       PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY: for Debezium and every JDBC connection
 * @param kafkaClient KAFKA_CLIENT_*: TLS/SASL for the producer, the topic check and Debezium's offset store
 * @param offsetsFile when set, Debezium keeps its offsets in this file instead of the Kafka topic
 */
public record CaptureSettings(
        String pgHost, int pgPort, String pgDatabase, String pgUser, String pgPassword, PostgresTls pgTls,
        String kafkaBootstrapServers, KafkaClientOverrides kafkaClient, String eventsTopic, String dlqTopic,
        int maxMessageBytes, long maxQueueBytes,
        String slotName, String publication, String table,
        String offsetsTopic, short offsetsReplicationFactor, String offsetsFile,
        int maxBatchSize, int maxQueueSize, Duration pollInterval, Duration heartbeatInterval,
        Duration offsetFlushInterval, Duration retryTimeout,
        ZoneId eventTimeZone, long walWarnBytes, Duration backlogCountInterval, int opsPort) {

    /** With the batch in hand, the snapshot's fetch and the producer's buffer: an 80 MiB cap in all (inFlightCaps). */
    public static final long DEFAULT_MAX_QUEUE_BYTES = 16L * 1024 * 1024;
    /** Debezium's own snapshot.fetch.size, kept when rows are small enough. */
    private static final int DEBEZIUM_SNAPSHOT_FETCH_ROWS = 10_240;

    /** PostgreSQL's rule for replication slot names. */
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern QUALIFIED_TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}");

    public static CaptureSettings fromEnv(Env env) {
        int maxBatchSize = env.integer("CAPTURE_MAX_BATCH_SIZE", 8192, 1, 1_000_000);
        int maxQueueSize = env.integer("CAPTURE_MAX_QUEUE_SIZE", 4 * maxBatchSize, 2, 10_000_000);
        if (maxQueueSize <= maxBatchSize) {
            throw new ConfigException("CAPTURE_MAX_QUEUE_SIZE=" + maxQueueSize + " must be larger than CAPTURE_MAX_BATCH_SIZE="
                    + maxBatchSize + " (Debezium's rule); use at least twice the batch size");
        }
        return new CaptureSettings(
                env.string("PGHOST", "127.0.0.1"),
                env.integer("PGPORT", 5432, 1, 65535),
                env.string("PGDATABASE", "pipeline"),
                env.string("CAPTURE_PGUSER", "cdc_capture"),
                env.secret("CAPTURE_PGPASSWORD", ""),
                PostgresTls.fromEnv(env),
                env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                KafkaClientOverrides.fromEnv(env),
                env.topic("KAFKA_TOPIC_EVENTS", Topics.USER_EVENTS),
                env.topic("KAFKA_TOPIC_DLQ", Topics.USER_EVENTS_DLQ),
                // Under the broker's default message.max.bytes (1,048,588) with room for key and headers.
                env.integer("CAPTURE_MAX_MESSAGE_BYTES", 1_000_000, 1024, 64 * 1024 * 1024),
                // Debezium's queue in bytes as well as records: a run of huge rows cannot exhaust the heap.
                env.longValue("CAPTURE_MAX_QUEUE_BYTES", DEFAULT_MAX_QUEUE_BYTES, 1024 * 1024, 16L * 1024 * 1024 * 1024),
                matching(env, "CAPTURE_SLOT", "user_logins_capture", SLOT, "lower-case letters, digits and _ (at most 63)"),
                env.identifier("CAPTURE_PUBLICATION", "user_logins_pub"),
                matching(env, "CAPTURE_TABLE", "public.user_logins", QUALIFIED_TABLE, "schema.table in lower case"),
                env.topic("CAPTURE_OFFSETS_TOPIC", "user_logins_capture_offsets"),
                (short) env.integer("CAPTURE_OFFSETS_REPLICATION_FACTOR", 1, 1, 32),
                env.string("CAPTURE_OFFSETS_FILE", null),
                maxBatchSize,
                maxQueueSize,
                positive(env, "CAPTURE_POLL_INTERVAL", Duration.ofMillis(20)),
                positive(env, "CAPTURE_HEARTBEAT_INTERVAL", Duration.ofSeconds(10)),
                positive(env, "CAPTURE_OFFSET_FLUSH_INTERVAL", Duration.ofSeconds(1)),
                positive(env, "CAPTURE_RETRY_TIMEOUT", Duration.ofMinutes(5)),
                zone(env),
                env.longValue("CAPTURE_WAL_WARN_BYTES", 1L << 30, 1, Long.MAX_VALUE),
                // A count(*) of the unsent rows is a full scan (the flag has no index, for HOT
                // updates), so not at every monitor tick; 0 turns it off for tables too large to scan.
                env.duration("CAPTURE_BACKLOG_COUNT_INTERVAL", Duration.ofSeconds(30)),
                env.integer("CAPTURE_OPS_PORT", 8081, 0, 65535));
    }

    /** Every JDBC connection of the capture opens this URL, so the TLS parameters in it apply to all of them. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + pgDatabase + "?ApplicationName=cdc-capture&connectTimeout=10&"
                + pgTls.jdbcUrlParameters();
    }

    public String schemaName() {
        return table.substring(0, table.indexOf('.'));
    }

    public String tableName() {
        return table.substring(table.indexOf('.') + 1);
    }

    /** The destination Debezium gives the table's change records; heartbeats and messages go elsewhere. */
    public String tableDestination() {
        return slotName + "." + table;
    }

    /** The snapshot reads only the backlog (FALSE or NULL, as the stream's row filter): what makes a re-snapshot safe. */
    public String snapshotSelect() {
        return "SELECT * FROM " + table + " WHERE sent_to_kafka IS NOT TRUE";
    }

    /**
     * Rows per round trip of the snapshot's query: as many messages of the maximum size as the
     * queue holds, at most Debezium's 10,240 (which, with rows of 1 MB, would be 10 GB in memory).
     */
    public int snapshotFetchRows() {
        return (int) Math.max(1, Math.min(DEBEZIUM_SNAPSHOT_FETCH_ROWS, maxQueueBytes / maxMessageBytes));
    }

    /** The producer's buffer.memory: the queue's size, and never less than one request of the maximum size. */
    public long producerBufferBytes() {
        return Math.max(maxQueueBytes, 2L * 1024 * 1024);
    }

    /**
     * What capture may hold, as its settings bound it: Debezium's queue; the batch taken from it
     * (its records and the events made of them); the rows of one snapshot fetch; the producer's
     * buffer. A row larger than CAPTURE_MAX_MESSAGE_BYTES is in memory once more, on its way to the DLQ.
     */
    public InFlightCaps inFlightCaps() {
        return InFlightCaps.builder()
                .part("debezium_queue", maxQueueBytes)
                .part("batch_in_hand", 2 * maxQueueBytes)
                .part("snapshot_fetch", (long) snapshotFetchRows() * maxMessageBytes)
                .part("producer_buffer", producerBufferBytes())
                .build();
    }

    /** One line for the log, passwords and other secrets masked. */
    public String describe() {
        return "postgres=" + pgUser + "@" + pgHost + ":" + pgPort + "/" + pgDatabase + " password=" + Secrets.mask(pgPassword)
                + " " + pgTls + " table=" + table + " publication=" + publication + " slot=" + slotName
                + " kafka=" + kafkaBootstrapServers + " kafkaClient=" + kafkaClient + " topic=" + eventsTopic + " dlq=" + dlqTopic
                + " maxMessageBytes=" + maxMessageBytes + " maxQueueBytes=" + maxQueueBytes
                + " offsets=" + (offsetsFile != null ? "file:" + offsetsFile : "topic:" + offsetsTopic)
                + " maxBatchSize=" + maxBatchSize + " maxQueueSize=" + maxQueueSize + " poll=" + pollInterval.toMillis() + "ms"
                + " heartbeat=" + heartbeatInterval.toMillis() + "ms offsetFlush=" + offsetFlushInterval.toMillis() + "ms"
                + " retryTimeout=" + retryTimeout.toSeconds() + "s eventTimeZone=" + eventTimeZone
                + " walWarnBytes=" + walWarnBytes + " backlogCount=" + backlogCountInterval.toSeconds() + "s opsPort=" + opsPort;
    }

    private static String matching(Env env, String key, String defaultValue, Pattern pattern, String rule) {
        String value = env.string(key, defaultValue);
        if (!pattern.matcher(value).matches()) {
            throw new ConfigException(key + "=" + value + " is not valid; use " + rule);
        }
        return value;
    }

    private static Duration positive(Env env, String key, Duration defaultValue) {
        Duration value = env.duration(key, defaultValue);
        if (value.isZero()) {
            throw new ConfigException(key + " must be longer than 0");
        }
        return value;
    }

    private static ZoneId zone(Env env) {
        String raw = env.string("CAPTURE_EVENT_TIME_ZONE", "UTC");
        try {
            return ZoneId.of(raw);
        } catch (DateTimeException e) {
            throw new ConfigException("CAPTURE_EVENT_TIME_ZONE=" + raw + " is not a time zone; use an IANA name (Europe/Berlin) or an offset (+03:00)");
        }
    }
}
