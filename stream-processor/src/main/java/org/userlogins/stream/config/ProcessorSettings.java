package org.userlogins.stream.config;

import java.time.Duration;
import org.userlogins.events.Topics;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.InFlightCaps;
import org.userlogins.kit.KafkaClientOverrides;

/**
 * Everything the stream processor is configured with, read once from the environment. Each
 * default sits next to its variable; {@link StreamsProperties} turns it into Kafka Streams'
 * properties without touching anything else.
 *
 * @param bootstrapServers   KAFKA_BOOTSTRAP_SERVERS
 * @param inputTopic         KAFKA_TOPIC_EVENTS, what cdc-capture writes
 * @param cleanTopic         KAFKA_TOPIC_CLEAN, what ch-writer reads
 * @param dlqTopic           KAFKA_TOPIC_DLQ, rejected records
 * @param applicationId      PROCESSOR_APPLICATION_ID: consumer group, transactional ids, internal topic prefix
 * @param stateDir           PROCESSOR_STATE_DIR: RocksDB state (rebuilt from the changelog when lost)
 * @param dedupeRetention    PROCESSOR_DEDUPE_RETENTION: how long an id is remembered (record time)
 * @param dedupePartitions   PROCESSOR_DEDUPE_PARTITIONS: partitions of the repartition by id and of the dedupe store's
 *                           changelog, fixed for the life of the application (the store's contents are placed by it;
 *                           a change is refused at start), independent of the input's partitions; default 3, the
 *                           input's count before the repartition, so an existing changelog keeps lining up
 * @param maxMessageBytes    PROCESSOR_MAX_MESSAGE_BYTES: larger messages go to the DLQ as too_large
 * @param maxInflightBytes   PROCESSOR_MAX_INFLIGHT_BYTES: fetched, queued and outgoing bytes per stream thread ({@link #inFlightCaps()})
 * @param threads            PROCESSOR_THREADS: stream threads; useful up to the input's plus the dedupe's partitions
 * @param commitInterval     PROCESSOR_COMMIT_INTERVAL: transaction length; output is visible only after a commit
 * @param replicationFactor  PROCESSOR_REPLICATION_FACTOR: of the internal (changelog, repartition) topics
 * @param sessionTimeout     PROCESSOR_SESSION_TIMEOUT: how soon a dead instance's partitions move to the others
 * @param opsPort            PROCESSOR_OPS_PORT: /health and /metrics, 0 disables
 * @param kafkaClient        KAFKA_CLIENT_*: TLS, SASL and tuning for all of Streams' clients
 */
public record ProcessorSettings(
        String bootstrapServers,
        String inputTopic,
        String cleanTopic,
        String dlqTopic,
        String applicationId,
        String stateDir,
        Duration dedupeRetention,
        int dedupePartitions,
        int maxMessageBytes,
        long maxInflightBytes,
        int threads,
        Duration commitInterval,
        int replicationFactor,
        Duration sessionTimeout,
        int opsPort,
        KafkaClientOverrides kafkaClient) {

    /**
     * As capture's limit: under the broker's default max.message.bytes (1 MiB) that the events and
     * clean topics keep, with room for what normalizing adds, so an accepted event always fits the
     * clean topic and a rejected one (up to 1 MiB) the DLQ (2 MiB, Topics.DLQ_MAX_MESSAGE_BYTES).
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;
    public static final int DEFAULT_DEDUPE_PARTITIONS = 3;
    public static final long DEFAULT_MAX_INFLIGHT_BYTES = 64L * 1024 * 1024;
    /** Room for the DLQ headers on top of a message of the maximum size. */
    private static final int HEADER_ALLOWANCE_BYTES = 64 * 1024;

    public ProcessorSettings {
        if (dedupeRetention.isZero() || dedupeRetention.isNegative()) {
            throw new ConfigException("PROCESSOR_DEDUPE_RETENTION=" + dedupeRetention + " must be positive, e.g. P7D");
        }
        if (commitInterval.isZero() || commitInterval.isNegative()) {
            throw new ConfigException("PROCESSOR_COMMIT_INTERVAL=" + commitInterval + " must be positive, e.g. PT0.1S");
        }
        if (inputTopic.equals(cleanTopic) || inputTopic.equals(dlqTopic) || cleanTopic.equals(dlqTopic)) {
            throw new ConfigException("KAFKA_TOPIC_EVENTS, KAFKA_TOPIC_CLEAN and KAFKA_TOPIC_DLQ must be three different topics");
        }
    }

    public static ProcessorSettings fromEnv(Env env) {
        return new ProcessorSettings(
                env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.topic("KAFKA_TOPIC_EVENTS", Topics.USER_EVENTS),
                env.topic("KAFKA_TOPIC_CLEAN", Topics.USER_EVENTS_CLEAN),
                env.topic("KAFKA_TOPIC_DLQ", Topics.USER_EVENTS_DLQ),
                env.topic("PROCESSOR_APPLICATION_ID", "user-logins-stream-processor"),
                env.string("PROCESSOR_STATE_DIR", "/tmp/user-logins-stream-processor"),
                env.duration("PROCESSOR_DEDUPE_RETENTION", Duration.ofDays(7)),
                env.integer("PROCESSOR_DEDUPE_PARTITIONS", DEFAULT_DEDUPE_PARTITIONS, 1, 1000),
                env.integer("PROCESSOR_MAX_MESSAGE_BYTES", DEFAULT_MAX_MESSAGE_BYTES, 64, 64 * 1024 * 1024),
                env.longValue("PROCESSOR_MAX_INFLIGHT_BYTES", DEFAULT_MAX_INFLIGHT_BYTES, 4L * 1024 * 1024, 64L * 1024 * 1024 * 1024),
                env.integer("PROCESSOR_THREADS", 1, 1, 64),
                env.duration("PROCESSOR_COMMIT_INTERVAL", Duration.ofMillis(50)),
                env.integer("PROCESSOR_REPLICATION_FACTOR", 1, 1, 32),
                env.duration("PROCESSOR_SESSION_TIMEOUT", Duration.ofSeconds(10)), // a killed instance's partitions move on after this
                env.integer("PROCESSOR_OPS_PORT", 8082, 0, 65535),
                KafkaClientOverrides.fromEnv(env));
    }

    /**
     * What one stream thread may hold, as {@link StreamsProperties} bounds it, times the threads.
     * Not counted: Streams' record cache (10 MiB), RocksDB's own memory, and up to one record per
     * input partition above one poll.
     */
    public InFlightCaps inFlightCaps() {
        return InFlightCaps.builder()
                .part("consumer_fetch", threads * fetchBytes())
                .part("queued_poll", threads * (long) maxPollRecords() * maxRequestBytes())
                .part("producer_buffer", threads * producerBufferBytes())
                .build();
    }

    int maxRequestBytes() {
        return Math.max(maxMessageBytes, Topics.MAX_MESSAGE_BYTES) + HEADER_ALLOWANCE_BYTES;
    }

    long fetchBytes() {
        return Math.min(Integer.MAX_VALUE, Math.max(maxInflightBytes / 4, maxRequestBytes()));
    }

    /** Records of the maximum size that fit in a quarter of the cap (Streams' default is 1,000). */
    int maxPollRecords() {
        return (int) Math.max(1, Math.min(1000, fetchBytes() / maxRequestBytes()));
    }

    long producerBufferBytes() {
        return Math.max(maxInflightBytes / 2, maxRequestBytes());
    }

    /** One line for the log at start; secrets among the Kafka client overrides are masked. */
    public String describe() {
        return "bootstrap=" + bootstrapServers + " input=" + inputTopic + " clean=" + cleanTopic + " dlq=" + dlqTopic
                + " applicationId=" + applicationId + " stateDir=" + stateDir + " dedupeRetention=" + dedupeRetention
                + " dedupePartitions=" + dedupePartitions + " maxMessageBytes=" + maxMessageBytes + " maxInflightBytes=" + maxInflightBytes + " threads=" + threads + " commitInterval=" + commitInterval
                + " replicationFactor=" + replicationFactor + " sessionTimeout=" + sessionTimeout + " opsPort=" + opsPort + " guarantee=exactly_once_v2"
                + " kafkaClient=" + kafkaClient;
    }
}
