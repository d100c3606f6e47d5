package org.userlogins.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userlogins.stream.topology.TopologyHarness.START;
import static org.userlogins.stream.topology.TopologyHarness.bytes;
import static org.userlogins.stream.topology.TopologyHarness.header;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.kit.Env;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.events.DlqReason;
import org.userlogins.events.DlqHeaders;

/** Every accept and reject rule, end to end through the topology function. */
class StreamTopologyTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldWriteTheContractsJsonKeyedByIdWhenTheEventIsValid() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("42", "{\"id\":42,\"username\":\"alice\",\"event_type\":\"login\",\"event_time\":1732400000,"
                    + "\"source_lsn\":24023128,\"commit_ts_ms\":1732400000123,\"capture_ts_ms\":1732400000150}");

            KeyValue<String, String> out = t.clean.readKeyValue();
            assertThat(out.key).isEqualTo("42");
            assertThat(out.value).isEqualTo(new String(UserEventJson.write(
                    new UserEvent(42, "alice", "login", 1732400000L, 24023128L, 1732400000123L, 1732400000150L)), StandardCharsets.UTF_8));
            assertThat(t.dlq.isEmpty()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"id\":1,\"event_time\":1732400000}|{\"id\":1,\"username\":null,\"event_type\":null,\"event_time\":1732400000}",
            "{\"id\":1,\"event_time\":1732400000.999}|{\"id\":1,\"username\":null,\"event_type\":null,\"event_time\":1732400000}",
            "{\"id\":1,\"event_time\":null}|{\"id\":1,\"username\":null,\"event_type\":null,\"event_time\":null}",
            "{\"id\":1}|{\"id\":1,\"username\":null,\"event_type\":null,\"event_time\":null}",
            "{\"id\":\"1\",\"username\":\"a\"}|{\"id\":1,\"username\":\"a\",\"event_type\":null,\"event_time\":null}",
            "{\"id\":1,\"username\":null,\"event_type\":\"login\",\"x\":{\"y\":[1]}}|{\"id\":1,\"username\":null,\"event_type\":\"login\",\"event_time\":null}"})
    void shouldNormalizeAcceptedEventsToTheContractsJson(String in, String expected) {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", in);
            assertThat(t.clean.readKeyValue()).isEqualTo(KeyValue.pair("1", expected));
            assertThat(t.dlq.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldKeyTheCleanRecordByIdWhateverTheInputKey() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send(null, "{\"id\":\"0007\"}");
            assertThat(t.clean.readKeyValue().key).isEqualTo("7");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "not_json|{\"id\":1",
            "not_json|hello",
            "not_object|[{\"id\":1}]",
            "missing_id|{\"username\":\"alice\"}",
            "invalid_id|{\"id\":1.5}",
            "invalid_id|{\"id\":0}",
            "invalid_id|{\"id\":-3}",
            "invalid_id|{\"id\":9223372036854775808}",
            "invalid_id|{\"id\":\"12a\"}",
            "wrong_type|{\"id\":1,\"username\":42}",
            "wrong_type|{\"id\":1,\"event_type\":{\"a\":1}}",
            "wrong_type|{\"id\":1,\"event_time\":\"2024-01-01\"}",
            "wrong_type|{\"id\":1,\"event_time\":false}",
            "duplicate_field|{\"id\":1,\"id\":2}",
            "event_time_out_of_range|{\"id\":1,\"event_time\":-1}",
            "event_time_out_of_range|{\"id\":1,\"event_time\":4294967296}"})
    void shouldSendTheOriginalToTheDlqWithTheReasonWhenTheMessageCannotBeStoredFaithfully(String reason, String value) {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("k", value);
            TestRecord<byte[], byte[]> rejected = t.dlq.readRecord();
            assertThat(header(rejected, DlqHeaders.REASON)).isEqualTo(reason);
            assertThat(rejected.value()).isEqualTo(bytes(value));
            assertThat(t.clean.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldRejectATombstoneAsEmptyValue() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("5", null);
            TestRecord<byte[], byte[]> rejected = t.dlq.readRecord();
            assertThat(header(rejected, DlqHeaders.REASON)).isEqualTo("empty_value");
            assertThat(rejected.value()).isNull();
            assertThat(rejected.key()).isEqualTo(bytes("5"));
        }
    }

    @Test
    void shouldRejectAsTooLargeWhenTheMessageExceedsTheConfiguredMaximum() {
        try (var t = new TopologyHarness(stateDir, Map.of("PROCESSOR_MAX_MESSAGE_BYTES", "100"), ProcessingListener.NONE)) {
            String big = "{\"id\":1,\"username\":\"" + "x".repeat(100) + "\"}";
            t.send("1", big);
            t.send("2", "{\"id\":2}");
            TestRecord<byte[], byte[]> rejected = t.dlq.readRecord();
            assertThat(header(rejected, DlqHeaders.REASON)).isEqualTo("too_large");
            assertThat(rejected.value()).isEqualTo(bytes(big));
            assertThat(t.clean.readKeyValue().key).isEqualTo("2");
        }
    }

    @Test
    void shouldRejectAsTooComplexWhenNestingIsHostilelyDeep() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1,\"x\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}");
            assertThat(header(t.dlq.readRecord(), DlqHeaders.REASON)).isEqualTo("too_complex");
        }
    }

    @Test
    void shouldCarrySourceCoordinatesReasonAndOriginalBytesAndHeadersOnDlqRecords() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1}");
            byte[] key = {0, (byte) 0xFF, 7};
            byte[] value = {'{', (byte) 0xC3, 0x28};
            var headers = new RecordHeaders().add("trace-id", bytes("abc"));
            t.driver.advanceWallClockTime(java.time.Duration.ofSeconds(5));
            t.input.pipeInput(new TestRecord<>(key, value, headers, START.plusSeconds(3)));

            TestRecord<byte[], byte[]> rejected = t.dlq.readRecord();
            assertThat(rejected.key()).isEqualTo(key);
            assertThat(rejected.value()).isEqualTo(value);
            assertThat(rejected.timestamp()).isEqualTo(START.plusSeconds(3).toEpochMilli());
            Map<String, String> h = TopologyHarness.headerMap(rejected.headers());
            assertThat(h).containsEntry("trace-id", "abc")
                    .containsEntry(DlqHeaders.REASON, "not_json")
                    .containsEntry(DlqHeaders.SOURCE_TOPIC, t.settings.inputTopic())
                    .containsEntry(DlqHeaders.SOURCE_PARTITION, "0")
                    .containsEntry(DlqHeaders.SOURCE_OFFSET, "1")
                    .containsEntry(DlqHeaders.SOURCE_TIMESTAMP, Long.toString(START.plusSeconds(3).toEpochMilli()))
                    .containsEntry(DlqHeaders.TIME, Long.toString(START.plusSeconds(5).toEpochMilli()));
            assertThat(h.get(DlqHeaders.DETAIL)).startsWith("not valid JSON");
        }
    }

    /**
     * The dedupe's placement does not depend on the input's partitions: validation reads the input,
     * the store sits only on the step that reads the repartition by id, so a partition added to the
     * input adds a stateless task and leaves the store's changelog as it is.
     */
    @Test
    void shouldKeepTheDedupeStoreOffTheInputsTasksBehindARepartitionById() {
        var settings = ProcessorSettings.fromEnv(new Env(Map.of("PROCESSOR_STATE_DIR", stateDir.toString())));
        TopologyDescription description = StreamTopology.build(settings).describe();
        assertThat(description.subtopologies()).hasSize(2);
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            Set<String> sources = sub.nodes().stream().filter(TopologyDescription.Source.class::isInstance)
                    .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream()).collect(Collectors.toSet());
            Set<String> stores = sub.nodes().stream().filter(TopologyDescription.Processor.class::isInstance)
                    .flatMap(n -> ((TopologyDescription.Processor) n).stores().stream()).collect(Collectors.toSet());
            if (sources.contains(settings.inputTopic())) {
                assertThat(stores).as("stores on the input's tasks").isEmpty();
            } else {
                assertThat(sources).containsExactly(StreamTopology.BY_ID + "-repartition");
                assertThat(stores).containsExactly(StreamTopology.DEDUPE_STORE);
                // status and chaos count the processor's lag on the topic named by pipeline-events
                assertThat(org.userlogins.events.Topics.processorRepartition("app")).isEqualTo("app-" + sources.iterator().next());
                assertThat(org.userlogins.events.Topics.processorChangelog("app")).isEqualTo("app-" + StreamTopology.DEDUPE_STORE + "-changelog");
            }
        }
    }

    @Test
    void shouldCarryTheInputHeadersToTheCleanRecordThroughTheRepartition() {
        try (var t = new TopologyHarness(stateDir)) {
            t.input.pipeInput(new TestRecord<>(bytes("1"), bytes("{\"id\":1}"), new RecordHeaders().add("trace-id", bytes("abc")), START));
            TestRecord<String, String> out = t.clean.readRecord();
            assertThat(out.key()).isEqualTo("1");
            assertThat(out.timestamp()).isEqualTo(START.toEpochMilli());
            assertThat(TopologyHarness.headerMap(out.headers())).containsExactly(Map.entry("trace-id", "abc"));
        }
    }

    @Test
    void shouldKeepTheInputOrderAcrossIds() {
        try (var t = new TopologyHarness(stateDir)) {
            List<String> ids = List.of("5", "3", "9", "1", "7", "2");
            ids.forEach(id -> t.send(id, "{\"id\":" + id + "}"));
            assertThat(t.clean.readKeyValuesToList()).extracting(kv -> kv.key).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void shouldTellTheListenerWhatHappenedToEachRecord() {
        var counts = new java.util.ArrayList<String>();
        ProcessingListener listener = new ProcessingListener() {
            @Override
            public void accepted() {
                counts.add("accepted");
            }

            @Override
            public void rejected(DlqReason reason) {
                counts.add(reason.code());
            }

            @Override
            public void duplicate() {
                counts.add("duplicate");
            }
        };
        try (var t = new TopologyHarness(stateDir, Map.of(), listener)) {
            t.send("1", "{\"id\":1}");
            t.send("1", "{\"id\":1}");
            t.send("x", "nope");
            assertThat(counts).containsExactly("accepted", "duplicate", "not_json");
        }
    }
}
