package org.userlogins.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.userlogins.events.TopicSpec;
import org.userlogins.events.Topics;

/**
 * The topics' specs live once, in {@link TopicSpec}; the two places that cannot call it (the local
 * stack's shell and the compose file) must create the same topics with the same configs. This test
 * fails when either drifts.
 */
class TopicSpecDriftTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, TopicSpec> SPECS = new LinkedHashMap<>();

    static {
        TopicSpec.pipeline(Topics.USER_EVENTS, Topics.USER_EVENTS_CLEAN, Topics.USER_EVENTS_DLQ).forEach(s -> SPECS.put(s.name(), s));
    }

    @Test
    void shouldCreateTheSpecifiedTopicsInTheLocalStack() throws IOException {
        String kafkaSh = Files.readString(ROOT.resolve("stack/kafka.sh"));
        String libSh = Files.readString(ROOT.resolve("stack/lib.sh"));
        Map<String, String> variables = Map.of("$KAFKA_TOPIC_EVENTS", Topics.USER_EVENTS, "$KAFKA_TOPIC_CLEAN", Topics.USER_EVENTS_CLEAN,
                "$KAFKA_TOPIC_DLQ", Topics.USER_EVENTS_DLQ);
        Matcher partitions = Pattern.compile("KAFKA_PARTITIONS=\\$\\{KAFKA_PARTITIONS:-(\\d+)}").matcher(libSh);
        assertThat(partitions.find()).as("stack/lib.sh's default KAFKA_PARTITIONS").isTrue();

        Map<String, TopicSpec> created = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*kafka_create_topic \"\\$existing\" \"(\\$[A-Z_]+)\"((?: [a-z.]+=\\S+)*)\\s*$").matcher(kafkaSh);
        while (m.find()) {
            String name = variables.get(m.group(1));
            created.put(name, new TopicSpec(name, Integer.parseInt(partitions.group(1)), configs(m.group(2).trim().split(" "))));
        }
        assertThat(created).isEqualTo(SPECS);
    }

    /**
     * On a cluster the same topics (above) are created with the cluster's replication factor, and
     * the nodes' defaults replicate everything else the same way: the internal topics, capture's
     * offsets and the processor's internal topics (through the settings the stack exports).
     */
    @Test
    void shouldReplicateEveryTopicOfTheLocalClusterAsSpecified() throws IOException {
        String kafkaSh = Files.readString(ROOT.resolve("stack/kafka.sh"));
        String libSh = Files.readString(ROOT.resolve("stack/lib.sh"));
        String rf = Integer.toString(TopicSpec.CLUSTER_REPLICATION_FACTOR);
        String isr = Integer.toString(TopicSpec.CLUSTER_MIN_INSYNC_REPLICAS);
        String nodeConf = kafkaSh.substring(kafkaSh.indexOf("kafka_node_write_conf() {"));
        nodeConf = nodeConf.substring(0, nodeConf.indexOf("\nEOF\n"));

        assertThat(properties(nodeConf)).containsAllEntriesOf(Map.of(
                "default.replication.factor", rf, "min.insync.replicas", isr,
                "offsets.topic.replication.factor", rf,
                "transaction.state.log.replication.factor", rf, "transaction.state.log.min.isr", isr,
                "unclean.leader.election.enable", "false"));
        assertThat(kafkaSh).contains("--replication-factor \"$(kafka_replication_factor)\"")
                .containsPattern("kafka_replication_factor\\(\\) \\{ if kafka_cluster; then echo " + rf + "; else echo 1; fi; }");
        assertThat(libSh).contains("CAPTURE_OFFSETS_REPLICATION_FACTOR=${CAPTURE_OFFSETS_REPLICATION_FACTOR:-" + rf + "}")
                .contains("PROCESSOR_REPLICATION_FACTOR=${PROCESSOR_REPLICATION_FACTOR:-" + rf + "}");
    }

    private static Map<String, String> properties(String text) {
        Map<String, String> props = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^([a-z.]+)=(\\S+)$").matcher(text);
        while (m.find()) {
            props.put(m.group(1), m.group(2));
        }
        return props;
    }

    @Test
    void shouldCreateTheSpecifiedTopicsInDockerCompose() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, TopicSpec> created = new LinkedHashMap<>();
        Matcher m = Pattern.compile("--create --if-not-exists --topic (\\S+) --partitions (\\d+) --replication-factor \\d+((?: --config \\S+)*)")
                .matcher(compose);
        while (m.find()) {
            String[] configs = Arrays.stream(m.group(3).split(" --config ")).filter(s -> !s.isBlank()).map(String::trim).toArray(String[]::new);
            created.put(m.group(1), new TopicSpec(m.group(1), Integer.parseInt(m.group(2)), configs(configs)));
        }
        assertThat(created).isEqualTo(SPECS);
    }

    private static Map<String, String> configs(String[] pairs) {
        Map<String, String> configs = new LinkedHashMap<>();
        for (String pair : pairs) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                configs.put(kv[0], kv[1]);
            }
        }
        return configs;
    }
}
