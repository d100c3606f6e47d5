package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientOverridesTest {
    private static KafkaClientOverrides overrides(Map<String, String> env) {
        return KafkaClientOverrides.fromEnv(new Env(env));
    }

    @Test
    void shouldTurnEachVariableIntoTheLowerCaseDottedProperty() {
        KafkaClientOverrides o = overrides(Map.of(
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "KAFKA_BOOTSTRAP_SERVERS", "k1:9093",
                "OTHER", "x"));

        assertThat(o.properties()).containsExactly(
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("ssl.truststore.location", "/etc/kafka/ca.p12"));
    }

    @Test
    void shouldBeEmptyAndImmutableWhenNothingIsSet() {
        KafkaClientOverrides o = overrides(Map.of("KAFKA_CLIENT_LINGER_MS", "  "));

        assertThat(o).isEqualTo(KafkaClientOverrides.NONE);
        assertThatThrownBy(() -> o.properties().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRefuseWhatThePipelineOwnsNamingTheVariable() {
        assertThatThrownBy(() -> overrides(Map.of("KAFKA_CLIENT_BOOTSTRAP_SERVERS", "k:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("KAFKA_CLIENT_BOOTSTRAP_SERVERS would set bootstrap.servers, which the pipeline sets itself; use KAFKA_BOOTSTRAP_SERVERS");
        for (String name : new String[] {"ACKS", "ENABLE_IDEMPOTENCE", "ISOLATION_LEVEL", "ENABLE_AUTO_COMMIT", "TRANSACTIONAL_ID",
                "GROUP_ID", "PROCESSING_GUARANTEE", "APPLICATION_ID", "KEY_SERIALIZER", "VALUE_DESERIALIZER"}) {
            assertThatThrownBy(() -> overrides(Map.of("KAFKA_CLIENT_" + name, "x")))
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_CLIENT_" + name + " would set ");
        }
    }

    @Test
    void shouldRefuseOwnedPropertiesBehindAStreamsClientPrefix() {
        assertThatThrownBy(() -> overrides(Map.of("KAFKA_CLIENT_PRODUCER_ACKS", "1")))
                .hasMessageStartingWith("KAFKA_CLIENT_PRODUCER_ACKS would set producer.acks");
        assertThatThrownBy(() -> overrides(Map.of("KAFKA_CLIENT_MAIN_CONSUMER_ISOLATION_LEVEL", "read_uncommitted")))
                .hasMessageStartingWith("KAFKA_CLIENT_MAIN_CONSUMER_ISOLATION_LEVEL would set main.consumer.isolation.level");
        // Not owned, only similar: a group *instance* id is the operator's choice.
        assertThat(overrides(Map.of("KAFKA_CLIENT_GROUP_INSTANCE_ID", "w1")).properties()).containsEntry("group.instance.id", "w1");
    }

    @Test
    void shouldRefuseANameThatIsNoProperty() {
        assertThatThrownBy(() -> overrides(Map.of("KAFKA_CLIENT_SSL__KEY", "x"))).hasMessageStartingWith("KAFKA_CLIENT_SSL__KEY is not a Kafka client property");
        assertThatThrownBy(() -> overrides(Map.of("KAFKA_CLIENT_", "x"))).hasMessageStartingWith("KAFKA_CLIENT_ is not a Kafka client property");
    }

    @Test
    void shouldMaskPasswordsAndJaasConfigurationsWhenPrinted() {
        KafkaClientOverrides o = overrides(Map.of(
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"w\" password=\"s3cret\";",
                "KAFKA_CLIENT_SSL_TRUSTSTORE_PASSWORD", "tr0st",
                "KAFKA_CLIENT_SSL_KEYSTORE_KEY", "-----BEGIN PRIVATE KEY-----"));

        assertThat(o.toString())
                .isEqualTo("{sasl.jaas.config=****, security.protocol=SASL_SSL, ssl.keystore.key=****, ssl.truststore.password=****}");
    }
}
