package org.userlogins.stream.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.dedupe.FirstSeenDedupe;
import org.userlogins.stream.validation.EventValidator;

/**
 * The processor's topology, a pure function of its settings (no I/O, no environment):
 * {@code user_events} (raw bytes) -> route (validate, dedupe by id) -> {@code user_events_clean}
 * or {@code user_events_dlq}. Key and value are read as bytes, so malformed input is data for
 * the DLQ, never a deserialization exception.
 *
 * <p>Dedupe is per input partition (one store per task, no repartition topic): copies of an id
 * must arrive on one partition, which holds when producers key by id, as cdc-capture does. A
 * copy sent under another key is not caught here; the writer's ReplacingMergeTree collapses it.
 */
public final class StreamTopology {
    public static final String SOURCE = "user-events-source";
    public static final String ROUTER = "validate-dedupe";
    public static final String CLEAN_SINK = "clean-sink";
    public static final String DLQ_SINK = "dlq-sink";
    /** Its changelog topic is {@code <application.id>-dedupe-first-seen-changelog}. */
    public static final String DEDUPE_STORE = "dedupe-first-seen";

    private StreamTopology() {
    }

    public static Topology build(ProcessorSettings s) {
        return build(s, ProcessingListener.NONE);
    }

    public static Topology build(ProcessorSettings s, ProcessingListener listener) {
        EventValidator validator = new EventValidator(s.maxMessageBytes());
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), s.inputTopic());
        topology.addProcessor(ROUTER, () -> new EventRouter(validator, DEDUPE_STORE, s.dedupeRetention(), listener), SOURCE);
        topology.addStateStore(FirstSeenDedupe.storeBuilder(DEDUPE_STORE), ROUTER);
        topology.addSink(CLEAN_SINK, s.cleanTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), ROUTER);
        topology.addSink(DLQ_SINK, s.dlqTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), ROUTER);
        return topology;
    }
}
