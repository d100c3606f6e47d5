package org.userlogins.kit;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kafka client properties from the environment, for what the pipeline does not configure itself:
 * TLS, SASL and tuning. {@code KAFKA_CLIENT_<NAME>} becomes property {@code <name>} in lower case
 * with {@code _} turned into {@code .}, e.g. {@code KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL} is
 * {@code security.protocol=SASL_SSL}. Every service adds them to every Kafka client it creates,
 * after its own settings, so an override wins (in Debezium's configuration the connector's keys
 * win instead: see DebeziumProperties). Plain strings: the clients parse the values.
 * {@link #toString()} masks secrets.
 */
public record KafkaClientOverrides(Map<String, String> properties) {
    public static final String PREFIX = "KAFKA_CLIENT_";
    public static final KafkaClientOverrides NONE = new KafkaClientOverrides(Map.of());

    /**
     * What the pipeline's delivery guarantees rest on (idempotent producers with acks from all,
     * read_committed consumers with manual commits, exactly-once Streams, fixed group and
     * application ids) or what has its own variable; an override would break them silently.
     */
    static final Set<String> OWNED = Set.of(
            "bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "enable.idempotence", "acks", "isolation.level", "enable.auto.commit", "transactional.id", "group.id",
            "processing.guarantee", "application.id");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]+(_[A-Za-z0-9]+)*");

    public KafkaClientOverrides {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    public static KafkaClientOverrides fromEnv(Env env) {
        Map<String, String> properties = new TreeMap<>();
        env.withPrefix(PREFIX).forEach((name, value) -> {
            String variable = PREFIX + name;
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(variable + " is not a Kafka client property; use KAFKA_CLIENT_ and the property's name"
                        + " in capitals with _ for each dot, e.g. KAFKA_CLIENT_SECURITY_PROTOCOL");
            }
            String property = name.toLowerCase(Locale.ROOT).replace('_', '.');
            if (owned(property)) {
                throw new ConfigException(variable + " would set " + property + ", which the pipeline sets itself"
                        + (property.endsWith("bootstrap.servers") ? "; use KAFKA_BOOTSTRAP_SERVERS" : " for its delivery guarantees; remove it"));
            }
            properties.put(property, value);
        });
        return new KafkaClientOverrides(properties);
    }

    /** Also with a client prefix: Kafka Streams applies {@code producer.acks} to its producers. */
    private static boolean owned(String property) {
        return OWNED.stream().anyMatch(key -> property.equals(key) || property.endsWith("." + key));
    }

    @Override
    public String toString() {
        return Secrets.maskOptions(properties);
    }
}
