package org.userlogins.ops.preflight;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.userlogins.events.TopicSpec;

/**
 * What the services need of Kafka, checked with their own client settings (TLS, SASL): the
 * brokers answer, and each topic exists with the configs the guarantees rest on. A missing topic
 * comes with the kafka-topics command that creates it; nothing here creates one.
 */
public final class KafkaPreflight {
    private static final String SERVER = "kafka";
    private static final long TIMEOUT_S = 15;

    private final Map<String, Object> clientConfig;
    private final String bootstrap;
    private final Collection<TopicSpec> topics;
    private final String offsetsTopic;
    private int replicationFactor = 1;

    /** {@code offsetsTopic}: Debezium's, which capture creates itself when its user may (null: offsets in a file). */
    public KafkaPreflight(Map<String, Object> clientConfig, String bootstrap, Collection<TopicSpec> topics, String offsetsTopic) {
        this.clientConfig = clientConfig;
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.offsetsTopic = offsetsTopic;
    }

    public List<Finding> check() throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        try (Admin admin = Admin.create(clientConfig)) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).size();
            } catch (ExecutionException | TimeoutException e) {
                findings.add(Finding.missing(SERVER, "brokers at " + bootstrap + " answer", cause(e),
                        "check KAFKA_BOOTSTRAP_SERVERS and the KAFKA_CLIENT_* settings (security.protocol, sasl.*, ssl.*)"));
                return findings;
            }
            findings.add(Finding.ok(SERVER, brokers + " broker(s) at " + bootstrap + " answer"));
            // As the stack does: three copies where there are three brokers, one on a single broker.
            replicationFactor = Math.min(3, brokers);
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            for (TopicSpec spec : topics) {
                findings.add(existing.contains(spec.name()) ? topic(admin, spec) : Finding.missing(SERVER, "topic " + spec.name(),
                        "it does not exist (the services do not create it)", create(spec)));
            }
            if (offsetsTopic != null && !existing.contains(offsetsTopic)) {
                findings.add(Finding.unconfirmed(SERVER, "topic " + offsetsTopic + " (capture's offsets)",
                        "capture creates it at its first start if its Kafka user may create topics; otherwise: "
                                + create(new TopicSpec(offsetsTopic, 1, Map.of("cleanup.policy", "compact")))));
            }
        } catch (ExecutionException | TimeoutException e) {
            findings.add(Finding.unconfirmed(SERVER, "topics", cause(e)));
        }
        return findings;
    }

    private Finding topic(Admin admin, TopicSpec spec) throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(resource);
        List<String> wrong = new ArrayList<>();
        spec.configs().forEach((key, value) -> {
            var actual = config.get(key);
            if (actual == null || !value.equals(actual.value())) {
                wrong.add(key + "=" + (actual == null ? "unset" : actual.value()) + " (needs " + value + ")");
            }
        });
        TopicDescription description = admin.describeTopics(List.of(spec.name())).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(spec.name());
        String what = "topic " + spec.name() + " (" + description.partitions().size() + " partitions)";
        if (wrong.isEmpty()) {
            return Finding.ok(SERVER, what);
        }
        return Finding.missing(SERVER, what, String.join(", ", wrong), "kafka-configs.sh --bootstrap-server " + bootstrap
                + " --alter --entity-type topics --entity-name " + spec.name() + " --add-config "
                + String.join(",", spec.configs().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList()));
    }

    /** The command an administrator runs to create the topic as the stack does. */
    String create(TopicSpec spec) {
        StringBuilder command = new StringBuilder("kafka-topics.sh --bootstrap-server " + bootstrap + " --create --topic " + spec.name()
                + " --partitions " + spec.partitions() + " --replication-factor " + replicationFactor);
        spec.configs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> command.append(" --config ").append(e.getKey()).append('=').append(e.getValue()));
        if (replicationFactor > 1) {
            command.append(" --config min.insync.replicas=").append(replicationFactor - 1);
        }
        return command.toString();
    }

    private static String cause(Exception e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
