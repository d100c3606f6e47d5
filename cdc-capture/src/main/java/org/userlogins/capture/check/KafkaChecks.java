package org.userlogins.capture.check;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.TopicLeaders;

/**
 * Checks that the events topic exists (auto-creation is off: otherwise every send would time out)
 * and that its leaders serve it.
 */
public final class KafkaChecks {
    private final CaptureSettings s;

    public KafkaChecks(CaptureSettings settings) {
        this.s = settings;
    }

    public void verify() {
        Map<String, Object> config = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafkaBootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
        config.putAll(s.kafkaClient().properties()); // a SASL/TLS broker refuses the check without them
        try (Admin admin = Admin.create(config)) {
            admin.describeTopics(List.of(s.eventsTopic())).allTopicNames().get(20, TimeUnit.SECONDS);
            // A topic created a moment ago (docker compose's init) is not yet served; a snapshot's burst could lose records.
            TopicLeaders.await(admin, List.of(s.eventsTopic()), Duration.ofSeconds(20));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ConfigException("topic " + s.eventsTopic() + " does not exist: create it (./pipeline up does) or set KAFKA_TOPIC_EVENTS");
            }
            throw new StartupException("cannot reach Kafka at " + s.kafkaBootstrapServers() + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new StartupException("cannot reach Kafka at " + s.kafkaBootstrapServers() + " within 20 s: check KAFKA_BOOTSTRAP_SERVERS", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while checking Kafka", e);
        }
    }
}
