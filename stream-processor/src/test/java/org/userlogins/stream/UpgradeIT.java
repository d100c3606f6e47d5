package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.userlogins.stream.BrokerFixture.text;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.events.UserEventJson;
import org.userlogins.kit.Env;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.dedupe.FirstSeenDedupe;
import org.userlogins.stream.topology.StreamTopology;
import org.userlogins.stream.validation.EventValidator;
import org.userlogins.stream.validation.Verdict;
import org.userlogins.stream.config.StreamsProperties;

/**
 * An existing deployment keeps its dedupe across the upgrade to the repartition by id: the former
 * topology (the store on the input's 3 tasks) marks ids 1..600; the new one, on the same
 * application id, state directory and changelog, with the input then grown to 6 partitions, drops
 * their re-sent copies (keyed by id, so most land on another input partition than before) and
 * passes the new ids. The marks line up because the repartition's 3 partitions are chosen by the
 * same murmur2 of the same key bytes as capture's partitions of the 3-partition input were.
 */
class UpgradeIT {
    @TempDir
    Path stateDir;

    @Test
    void shouldKeepTheFormerTopologysFirstSeenMarksAfterTheUpgrade() throws Exception {
        try (var broker = new BrokerFixture(); var producer = broker.producer()) {
            Map<String, String> env = new HashMap<>(broker.env());
            env.put("PROCESSOR_STATE_DIR", stateDir.toString());
            ProcessorSettings settings = ProcessorSettings.fromEnv(new Env(env));

            try (var former = new KafkaStreams(formerTopology(settings), StreamsProperties.of(settings))) {
                former.start();
                for (int id = 1; id <= 600; id++) {
                    producer.send(StreamProcessorIT.event(broker.input, id));
                }
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(broker::inputFullyCommitted);
                former.close(CloseOptions.timeout(Duration.ofSeconds(30)).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
            assertThat(broker.readCommitted(broker.clean)).hasSize(600);

            broker.growInput(6);
            try (var upgraded = BrokerFixture.streams(settings); var resender = broker.producer()) {
                upgraded.start();
                for (int id = 1; id <= 800; id++) {
                    resender.send(StreamProcessorIT.event(broker.input, id));
                }
                resender.flush();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> upgraded.state() == KafkaStreams.State.ERROR || broker.inputFullyCommitted());
                // Processing, not failed: a rebalance may follow the last commit (RUNNING or REBALANCING, as /health counts up).
                assertThat(upgraded.state()).as("Kafka Streams' state").isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            }

            List<String> cleanKeys = broker.readCommitted(broker.clean).stream().map(r -> text(r.key())).toList();
            assertThat(cleanKeys).hasSize(800)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 800).mapToObj(Integer::toString).toList());
        }
    }

    /** The topology before the repartition by id: one processor on the input's tasks validates and dedupes. */
    private static Topology formerTopology(ProcessorSettings s) {
        EventValidator validator = new EventValidator(s.maxMessageBytes());
        Topology topology = new Topology();
        topology.addSource("user-events-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), s.inputTopic());
        topology.addProcessor("validate-dedupe", () -> new Processor<byte[], byte[], byte[], byte[]>() {
            private ProcessorContext<byte[], byte[]> context;
            private FirstSeenDedupe dedupe;

            @Override
            public void init(ProcessorContext<byte[], byte[]> context) {
                this.context = context;
                this.dedupe = new FirstSeenDedupe(context.getStateStore(StreamTopology.DEDUPE_STORE), s.dedupeRetention());
            }

            @Override
            public void process(Record<byte[], byte[]> record) {
                if (validator.validate(record.value()) instanceof Verdict.Accepted accepted
                        && dedupe.isFirstCopy(accepted.event().id(), record.timestamp(), accepted.event().sourceLsn())) {
                    byte[] key = Long.toString(accepted.event().id()).getBytes(StandardCharsets.US_ASCII);
                    context.forward(record.withKey(key).withValue(UserEventJson.write(accepted.event())));
                }
            }
        }, "user-events-source");
        topology.addStateStore(FirstSeenDedupe.storeBuilder(StreamTopology.DEDUPE_STORE), "validate-dedupe");
        topology.addSink("clean-sink", s.cleanTopic(), new ByteArraySerializer(), new ByteArraySerializer(), "validate-dedupe");
        return topology;
    }
}
