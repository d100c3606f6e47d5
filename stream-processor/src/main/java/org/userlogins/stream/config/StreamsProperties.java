package org.userlogins.stream.config;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.userlogins.events.Topics;
import org.userlogins.stream.errors.LogAndFailDeserializationHandler;
import org.userlogins.stream.errors.LogAndFailProductionHandler;

/** Kafka Streams' properties from the processor's settings: exactly-once, and memory bounded in bytes. */
public final class StreamsProperties {
    private StreamsProperties() {
    }

    public static Properties of(ProcessorSettings s) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.threads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
        p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, s.replicationFactor());
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) s.sessionTimeout().toMillis());
        // No global stores here; enabling it only silences Streams' start-up warning about them.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailDeserializationHandler.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProductionHandler.class.getName());
        // Each commit flushes the producer anyway; a short linger keeps batches without adding latency
        // (Streams' own default is 100 ms).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // A rejected message of the maximum size goes to the DLQ whole, with headers on top.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), s.maxRequestBytes());
        // Memory in bytes, not records (Streams 4.3 bounds its input queues only in records): each
        // thread fetches at most a quarter of the cap, holds at most one poll queued (a partition is
        // paused as soon as it has more than one unprocessed record), and buffers at most half of
        // the cap for the producer. A poll is bounded in records of the maximum size, because fetch
        // sizes count compressed bytes: 16 MiB of lz4 can hold thousands of 1 MB records.
        // The small poll costs some of the processor's throughput (docs/PERFORMANCE.md), which
        // stays above capture's.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), (int) s.fetchBytes());
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), s.maxPollRecords());
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                (int) Math.min(s.fetchBytes(), Topics.MAX_MESSAGE_BYTES));
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), (int) s.fetchBytes());
        p.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, 1);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), s.producerBufferBytes());
        // A partition added to the input is read within 30 s, not after Kafka's default 5 minutes
        // (its records wait until the group sees it). Unprefixed: KAFKA_CLIENT_METADATA_MAX_AGE_MS overrides it.
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 30_000);
        // Unprefixed, so Streams gives them to its consumers, producers and admin client alike;
        // exactly-once's own keys cannot be overridden (KafkaClientOverrides).
        p.putAll(s.kafkaClient().properties());
        return p;
    }
}
