package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** On the real local broker: after TopicLeaders.await, a burst into a fresh topic loses nothing. */
class TopicLeadersIT {
    private static final String BOOTSTRAP = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    private static final int ROUNDS = 20;

    /**
     * The shape that loses records without the wait (7 of 20 rounds when measured): one long-lived
     * idempotent producer, several requests in flight per partition as soon as the topic exists.
     * By chance alone, 20 clean rounds without the wait would be about 1 in 5,000.
     */
    @Test
    void shouldLetAnIdempotentProducerBurstIntoFreshTopicsWithoutLosingARecord() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000); // a lost batch fails in 10 s, not 2 min
        List<String> topics = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP));
             var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    String topic = "it-kit-fresh-" + UUID.randomUUID().toString().substring(0, 8);
                    topics.add(topic);
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
                    TopicLeaders.await(admin, List.of(topic), Duration.ofSeconds(30));
                    for (int i = 0; i < 3_000; i++) {
                        producer.send(new ProducerRecord<>(topic, i % 3, null, new byte[1_000]), (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
                    }
                    producer.flush();
                }
                assertThat(failed).as("records lost in %d bursts", ROUNDS).hasValue(0);
            } finally {
                admin.deleteTopics(topics).all().get();
            }
        }
    }

    /** The test controls the condition (the topic is never created), so the answer cannot depend on the machine's speed. */
    @Test
    void shouldTimeOutNamingTheTopicWhenItNeverComes() {
        String missing = "it-kit-missing-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            assertThatThrownBy(() -> TopicLeaders.await(admin, List.of(missing), Duration.ofSeconds(3)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining(missing);
        }
    }

    @Test
    void shouldFailAtOnceWhenKafkaRefusesTheTopicForGood() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            assertThatThrownBy(() -> TopicLeaders.await(admin, List.of("not a valid topic name!"), Duration.ofSeconds(60)))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidTopicException.class);
        }
    }
}
