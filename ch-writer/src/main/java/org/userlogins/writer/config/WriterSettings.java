package org.userlogins.writer.config;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientMisconfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.userlogins.events.Topics;
import org.userlogins.kit.ClickHouseClientOptions;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.InFlightCaps;
import org.userlogins.kit.KafkaClientOverrides;
import org.userlogins.kit.Secrets;
import org.userlogins.writer.batch.DeliveryStage;
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
        ClickHouseClientOptions clickHouseClient,
        DeliveryStage testHaltAt) {

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
                        // A few fetch round trips: the gap after the processor's transaction is
                        // drained, not the gaps inside one.
                        env.duration("WRITER_BATCH_QUIET", Duration.ofMillis(10))),
                retryInitial,
                retryMax,
                env.integer("WRITER_OPS_PORT", 8083, 0, 65535),
                positive(env, "WRITER_SESSION_TIMEOUT", Duration.ofSeconds(10)), // a killed writer's partitions move on after this
                KafkaClientOverrides.fromEnv(env),
                env.readableFile("CLICKHOUSE_SSL_ROOT_CERT"),
                ClickHouseClientOptions.fromEnv(env),
                testHaltAt(env));
    }

    /** Test hook only: the stage at which the crash tests kill the writer (none in production). */
    private static DeliveryStage testHaltAt(Env env) {
        String stage = env.string("WRITER_TEST_HALT_AT", "");
        if (stage.isEmpty()) {
            return null;
        }
        try {
            return DeliveryStage.valueOf(stage);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("WRITER_TEST_HALT_AT=" + stage + " is not a stage; use RANGES_RECORDED or STORED");
        }
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

    /** The consumer: manual commits after ClickHouse accepted, and only committed transactions. */
    public Properties toConsumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A new group reads the topic from its start: the table must get every event ever sent.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Bounded so one poll cannot overshoot the batch by much (the batch may exceed
        // WRITER_BATCH_ROWS by less than one poll).
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords()));
        // What the consumer holds fetched but not yet polled, next to the batch: at most the batch's own
        // byte cap (and never under one maximum message), instead of the client's 50 MiB.
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Long.toString(bufferBytes()));
        // Cooperative: a rebalance revokes only the partitions that move, so the others keep their batch.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ch-writer-" + groupId);
        // How long a crashed writer keeps its partitions before the group gives them to another
        // (the broker accepts 6 s to 5 min by default).
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(1000, sessionTimeout.toMillis() / 3)));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // TLS, SASL and tuning; what the guarantees rest on cannot be overridden (KafkaClientOverrides).
        p.putAll(kafkaClient.properties());
        return p;
    }

    /**
     * Records per poll: fetch sizes count compressed bytes (the clean topic is lz4), so only a count
     * of records of the largest size the processor passes bounds a poll in memory. The small count
     * does not slow the writer down (docs/PERFORMANCE.md).
     */
    private int maxPollRecords() {
        return (int) Math.max(1, Math.min(Math.min(batch.maxRows(), 5000), batch.maxBytes() / MAX_RECORD_BYTES));
    }

    /** The consumer's fetch and the DLQ producer's buffer: the batch's byte cap, never under two maximum messages. */
    private long bufferBytes() {
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

    /** The dead-letter producer: idempotent and fully acknowledged, because a DLQ record replaces a row. */
    public Properties toDlqProducerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "ch-writer-dlq-" + groupId);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(bufferBytes()));
        // A clean record of the maximum size with the DLQ headers on top: what the DLQ topic takes.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.DLQ_MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(kafkaClient.properties());
        return p;
    }

    /** For an admin client beside the writer (WriterBench): the same brokers and security. */
    public Properties toAdminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(kafkaClient.properties());
        return p;
    }

    /**
     * A ClickHouse client: TLS when CLICKHOUSE_URL is https://, verified against
     * CLICKHOUSE_SSL_ROOT_CERT if set (else the JVM's trust store); then the caller's tuning; then
     * the CLICKHOUSE_CLIENT_* options, last so they win. An option client-v2 refuses (an unknown
     * key, a trust store together with client certificates) stops the start as a configuration error.
     */
    public Client clickHouseClient(UnaryOperator<Client.Builder> tuning) {
        Client.Builder builder = new Client.Builder()
                .addEndpoint(clickHouseUrl)
                .setUsername(clickHouseUser)
                .setPassword(clickHousePassword);
        if (clickHouseRootCert != null) {
            builder.setRootCertificate(clickHouseRootCert);
        }
        builder = tuning.apply(builder);
        clickHouseClient.options().forEach(builder::setOption);
        try {
            return builder.build();
        } catch (ClientMisconfigurationException | IllegalArgumentException e) {
            throw new ConfigException("the ClickHouse client refuses its configuration (" + e.getMessage()
                    + "); check CLICKHOUSE_URL, CLICKHOUSE_SSL_ROOT_CERT and the CLICKHOUSE_CLIENT_* variables");
        }
    }

    @Override
    public String toString() {
        return "WriterSettings[kafka=" + bootstrapServers + ", topic=" + cleanTopic + ", dlq=" + dlqTopic
                + ", group=" + groupId + ", clickhouse=" + clickHouseUrl + ", user=" + clickHouseUser
                + ", password=" + Secrets.mask(clickHousePassword) + ", table=" + database + "." + table
                + ", engine=" + tableEngine + ", cluster=" + (cluster.isEmpty() ? "(none)" : cluster)
                + ", batch=" + batch + ", retry=" + retryInitial + ".." + retryMax
                + ", opsPort=" + opsPort + ", sessionTimeout=" + sessionTimeout + ", kafkaClient=" + kafkaClient
                + ", clickHouseRootCert=" + (clickHouseRootCert == null ? "(JVM trust store)" : clickHouseRootCert)
                + ", clickHouseClient=" + clickHouseClient + (testHaltAt != null ? ", TEST HOOK: halt at " + testHaltAt : "") + "]";
    }
}
