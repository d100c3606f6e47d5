package org.userlogins.stream.topology;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.userlogins.kit.Env;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.config.StreamsProperties;

/** A TopologyTestDriver around {@link StreamTopology#build}, with the input as text or raw bytes. */
final class TopologyHarness implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    final ProcessorSettings settings;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestOutputTopic<String, String> clean;
    final TestOutputTopic<byte[], byte[]> dlq;

    TopologyHarness(Path stateDir, Map<String, String> env, ProcessingListener listener) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("PROCESSOR_STATE_DIR", stateDir.toString());
        settings = ProcessorSettings.fromEnv(new Env(all));
        driver = new TopologyTestDriver(StreamTopology.build(settings, listener), StreamsProperties.of(settings), START);
        input = driver.createInputTopic(settings.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ZERO);
        clean = driver.createOutputTopic(settings.cleanTopic(), new StringDeserializer(), new StringDeserializer());
        dlq = driver.createOutputTopic(settings.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    TopologyHarness(Path stateDir) {
        this(stateDir, Map.of(), ProcessingListener.NONE);
    }

    void send(String key, String json) {
        input.pipeInput(bytes(key), bytes(json));
    }

    void send(String key, String json, Instant timestamp) {
        input.pipeInput(bytes(key), bytes(json), timestamp);
    }

    List<String> cleanValues() {
        return clean.readValuesToList();
    }

    static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String header(TestRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static Map<String, String> headerMap(Headers headers) {
        return java.util.Arrays.stream(headers.toArray()).collect(Collectors.toMap(Header::key,
                h -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
    }

    @Override
    public void close() {
        driver.close();
    }
}
