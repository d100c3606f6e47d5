package org.userlogins.writer.config;

import com.clickhouse.client.api.Client;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.userlogins.events.Topics;
import org.userlogins.kit.ClickHouseClientOptions;
import org.userlogins.kit.ClickHouseClients;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.InFlightCaps;
import org.userlogins.kit.KafkaClientOverrides;
import org.userlogins.kit.Secrets;
import org.userlogins.writer.batch.FlushPolicy;

/**
 * Everything ch-writer reads from the environment, read once at start. Defaults are the local
 * stack's; {@link #toString()} masks the password so the record can be logged as is.
 *
 * @param batch              WRITER_BATCH_ROWS, _MAX_BYTES, _MAX_WAIT, _QUIET: when a batch goes to ClickHouse
 * @param kafkaClient        KAFKA_CLIENT_*: TLS, SASL and tuning for the consumer, the DLQ producer and admin clients
 * @param clickHouseRootCert CLICKHOUSE_SSL_ROOT_CERT: CA (PEM) an https:// CLICKHOUSE_URL is verified against, or null for the JVM's
 * @param clickHouseClient   CLICKHOUSE_CLIENT_*: client-v2 options
 */
public record WriterSettings(
        String bootstrapServers,
        String cleanTopic,
        String dlqTopic,
        String groupId,
        String clickHouseUrl,
        String clickHouseUser,
        String clickHousePassword,
        String database,
        String table,
        String tableEngine,
        String cluster,
        FlushPolicy batch,
        Duration retryInitial,
        Duration retryMax,
        int opsPort,
        Duration sessionTimeout,
        KafkaClientOverrides kafkaClient,
        String clickHouseRootCert,
        ClickHouseClientOptions clickHouseClient) {

    /** The default engine: see TableDefinition for why the version column makes the first copy win. */
    /** The largest clean record: what the clean topic takes, and room for headers. */
    static final long MAX_RECORD_BYTES = Topics.MAX_MESSAGE_BYTES + 64 * 1024;
    public static final String DEFAULT_ENGINE = "ReplacingMergeTree(first_copy_version)";
    private static final Pattern ENGINE = Pattern.compile("(Replicated|Shared)?ReplacingMergeTree(\\([^;]*\\))?");
    /** With the port: client-v2 refuses an endpoint without one. */
    private static final Pattern URL = Pattern.compile("https?://[^\\s/]+:\\d{1,5}/?");

    public static WriterSettings fromEnv(Env env) {
        String url = env.string("CLICKHOUSE_URL", "http://127.0.0.1:8123");
        if (!URL.matcher(url).matches()) {
            throw new ConfigException("CLICKHOUSE_URL=" + url + " is not an HTTP endpoint with a port; use http://host:8123 or https://host:8443");
        }
        String engine = env.string("WRITER_TABLE_ENGINE", DEFAULT_ENGINE);
        if (!ENGINE.matcher(engine).matches()) {
            throw new ConfigException("WRITER_TABLE_ENGINE=" + engine + " is not a ReplacingMergeTree engine; use e.g. "
                    + DEFAULT_ENGINE + " or ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/user_logins','{replica}',first_copy_version)");
        }
        String cluster = env.string("WRITER_CLUSTER", "");
        if (!cluster.isEmpty()) {
            cluster = env.identifier("WRITER_CLUSTER", null);
        }
        Duration retryInitial = positive(env, "WRITER_RETRY_INITIAL", Duration.ofMillis(500));
        // Capped at 5 s: after an outage the writer resumes within 5 s of ClickHouse coming back.
        Duration retryMax = positive(env, "WRITER_RETRY_MAX", Duration.ofSeconds(5));
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new ConfigException("WRITER_RETRY_MAX=" + retryMax + " is shorter than WRITER_RETRY_INITIAL=" + retryInitial);
        }
        return new WriterSettings(
                env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.topic("KAFKA_TOPIC_CLEAN", Topics.USER_EVENTS_CLEAN),
                env.topic("KAFKA_TOPIC_DLQ", Topics.USER_EVENTS_DLQ),
                env.string("WRITER_GROUP_ID", Topics.WRITER_GROUP),
                url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                env.string("CLICKHOUSE_USER", "default"),
                env.secret("CLICKHOUSE_PASSWORD", ""),
                env.identifier("CLICKHOUSE_DATABASE", "pipeline"),
                env.identifier("WRITER_TABLE", "user_logins"),
                engine,
                cluster,
                new FlushPolicy(
                        env.integer("WRITER_BATCH_ROWS", 50_000, 1, 1_000_000),
                        positive(env, "WRITER_BATCH_MAX_WAIT", Duration.ofMillis(100)),
                        env.longValue("WRITER_BATCH_MAX_BYTES", FlushPolicy.DEFAULT_MAX_BYTES, 64 * 1024, 1024L * 1024 * 1024),
                        // Off by default: it cuts the median latency but not the tail, and costs
                        // ClickHouse CPU at low rates (docs/PERFORMANCE.md). 10 ms when on: a few
                        // fetch round trips, the gap after a processor transaction, not inside one.
                        env.duration("WRITER_BATCH_QUIET", Duration.ZERO)),
                retryInitial,
                retryMax,
                env.integer("WRITER_OPS_PORT", 8083, 0, 65535),
                positive(env, "WRITER_SESSION_TIMEOUT", Duration.ofSeconds(10)), // a killed writer's partitions move on after this
                KafkaClientOverrides.fromEnv(env),
                env.readableFile("CLICKHOUSE_SSL_ROOT_CERT"),
                ClickHouseClientOptions.fromEnv(env));
    }

    public static WriterSettings fromEnv(Map<String, String> env) {
        return fromEnv(new Env(env));
    }

    private static Duration positive(Env env, String key, Duration defaultValue) {
        Duration value = env.duration(key, defaultValue);
        if (value.isZero()) {
            throw new ConfigException(key + " is zero; use a positive duration such as " + defaultValue);
        }
        return value;
    }

    /**
     * Records per poll: fetch sizes count compressed bytes (the clean topic is lz4), so only a count
     * of records of the largest size the processor passes bounds a poll in memory. The small count
     * does not slow the writer down (docs/PERFORMANCE.md).
     */
    int maxPollRecords() {
        return (int) Math.max(1, Math.min(Math.min(batch.maxRows(), 5000), batch.maxBytes() / MAX_RECORD_BYTES));
    }

    /** The consumer's fetch and the DLQ producer's buffer: the batch's byte cap, never under two maximum messages. */
    long bufferBytes() {
        return Math.max(batch.maxBytes(), 2L * 1024 * 1024);
    }

    /**
     * What the writer may hold, as its settings bound it: the consumer's fetched records, the
     * batch's rows, the RowBinary body of one partition's INSERT (and its copy while the buffer
     * grows), the DLQ producer's buffer.
     */
    public InFlightCaps inFlightCaps() {
        return InFlightCaps.builder()
                .part("consumer_fetch", bufferBytes())
                .part("polled_records", (long) maxPollRecords() * MAX_RECORD_BYTES)
                .part("batch", batch.maxBytes())
                .part("insert_body", 2 * batch.maxBytes())
                .part("dlq_producer", bufferBytes())
                .build();
    }

    /** The writer's ClickHouse client, built as every service and tool builds it ({@link ClickHouseClients}), with the caller's tuning. */
    public Client clickHouseClient(UnaryOperator<Client.Builder> tuning) {
        return ClickHouseClients.build(clickHouseUrl, clickHouseUser, clickHousePassword, clickHouseRootCert, clickHouseClient, tuning);
    }

    /** Never the record's own: that would print the password. */
    @Override
    public String toString() {
        return describe();
    }

    /** One line for the log at start; the password and secrets among the client options are masked. */
    public String describe() {
        return "WriterSettings[kafka=" + bootstrapServers + ", topic=" + cleanTopic + ", dlq=" + dlqTopic
                + ", group=" + groupId + ", clickhouse=" + clickHouseUrl + ", user=" + clickHouseUser
                + ", password=" + Secrets.mask(clickHousePassword) + ", table=" + database + "." + table
                + ", engine=" + tableEngine + ", cluster=" + (cluster.isEmpty() ? "(none)" : cluster)
                + ", batch=" + batch + ", retry=" + retryInitial + ".." + retryMax
                + ", opsPort=" + opsPort + ", sessionTimeout=" + sessionTimeout + ", kafkaClient=" + kafkaClient
                + ", clickHouseRootCert=" + (clickHouseRootCert == null ? "(JVM trust store)" : clickHouseRootCert)
                + ", clickHouseClient=" + clickHouseClient + "]";
    }
}
