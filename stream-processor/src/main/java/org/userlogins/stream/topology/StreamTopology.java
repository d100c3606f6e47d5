package org.userlogins.stream.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.userlogins.events.Topics;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.dedupe.FirstSeenDedupe;
import org.userlogins.stream.validation.EventValidator;

/**
 * The processor's topology, a pure function of its settings (no I/O, no environment), in two
 * steps joined by a repartition by id:
 * <pre>
 * user_events (raw bytes, any number of partitions)
 *   -> validate -> user_events_dlq (rejected)
 *               -> &lt;app&gt;-dedupe-by-id-repartition (key = id, PROCESSOR_DEDUPE_PARTITIONS partitions)
 *   -> dedupe by id (store dedupe-first-seen) -> user_events_clean
 * </pre>
 * Key and value are read as bytes, so malformed input is data for the DLQ, never a
 * deserialization exception.
 *
 * <p>Why the repartition: the dedupe's placement must not depend on the input. With the store
 * on the input's tasks (as before), adding partitions to {@code user_events} made Kafka Streams
 * require the store's changelog to have as many partitions, which it refuses to change (the
 * stream thread died in a loop, the new partitions were never processed), and a copy of an id
 * that landed on another partition than its first copy met another store and went out twice.
 * Here the validating step is stateless (a new input partition is only a new task), and every
 * copy of an id, from whichever input partition, is routed by its id to one of a fixed number
 * of partitions, where one store sees them all. Streams creates the repartition topic, purges
 * what it has consumed, and covers it with exactly_once_v2 like any output and input.
 *
 * <p>The default of 3 dedupe partitions is the input's former count, and the key is the bytes
 * capture keys the input with, partitioned by the same murmur2 hash: an id's mark in the existing
 * changelog {@code <app>-dedupe-first-seen-changelog} (3 partitions) is on the partition its
 * copies now reach, so an upgrade keeps its dedupe. The count is fixed for the life of the
 * application: the store's contents are placed by it ({@code DedupePlacement} refuses a change).
 */
public final class StreamTopology {
    public static final String SOURCE = "user-events-source";
    public static final String VALIDATE = "validate";
    /** The validator's way on to the repartition (a named pass-through it forwards to by name). */
    public static final String ACCEPTED = "accepted";
    /** Its topic is {@code <application.id>-dedupe-by-id-repartition}. */
    public static final String BY_ID = "dedupe-by-id";
    public static final String DEDUPE = "dedupe";
    public static final String CLEAN_SINK = "clean-sink";
    public static final String DLQ_SINK = "dlq-sink";
    /** Its changelog topic is {@code <application.id>-dedupe-first-seen-changelog}. */
    public static final String DEDUPE_STORE = "dedupe-first-seen";

    private StreamTopology() {
    }

    /** The repartition topic by id of an application. */
    public static String repartitionTopic(String applicationId) {
        return Topics.processorRepartition(applicationId);
    }

    /** The dedupe store's changelog topic of an application. */
    public static String changelogTopic(String applicationId) {
        return Topics.processorChangelog(applicationId);
    }

    public static Topology build(ProcessorSettings s) {
        return build(s, ProcessingListener.NONE);
    }

    public static Topology build(ProcessorSettings s, ProcessingListener listener) {
        EventValidator validator = new EventValidator(s.maxMessageBytes());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(FirstSeenDedupe.storeBuilder(DEDUPE_STORE));
        KStream<byte[], byte[]> validated = builder
                .stream(s.inputTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
                .process(() -> new Validate(validator, listener), Named.as(VALIDATE));
        validated.to(s.dlqTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(DLQ_SINK));
        validated.peek((id, event) -> { }, Named.as(ACCEPTED))
                .repartition(Repartitioned.<byte[], byte[]>as(BY_ID).withKeySerde(Serdes.ByteArray()).withValueSerde(Serdes.ByteArray())
                        .withNumberOfPartitions(s.dedupePartitions()))
                .process(() -> new Dedupe(DEDUPE_STORE, s.dedupeRetention(), listener), Named.as(DEDUPE), DEDUPE_STORE)
                .to(s.cleanTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(CLEAN_SINK));
        return builder.build();
    }
}
