package org.userlogins.writer.redrive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.userlogins.kit.TopicLeaders;

/**
 * Re-publishes DLQ records to the topic they came from, after their cause was fixed. Each one is
 * re-driven at most once: its DLQ coordinates go to a compacted ledger topic in the same Kafka
 * transaction as the re-published record, so a second run (or a run after a crash) skips it, and
 * the pipeline's readers (read_committed) never see a re-published record without its ledger
 * entry or the other way round. A re-driven record that fails again returns to the DLQ as a new
 * record, with its attempt count, and can be re-driven again.
 */
public final class Redrive {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int PER_TRANSACTION = 5_000;

    private final Properties client;
    private final String dlqTopic;
    private final String ledgerTopic;
    private final Set<String> targets;

    /**
     * @param client  the Kafka connection (bootstrap servers and any security settings)
     * @param targets the topics a record may be re-driven to (the pipeline's input and clean topics)
     */
    public Redrive(Properties client, String dlqTopic, Set<String> targets) {
        this.client = client;
        this.dlqTopic = dlqTopic;
        this.ledgerTopic = ledgerTopic(dlqTopic);
        this.targets = targets;
    }

    public static String ledgerTopic(String dlqTopic) {
        return dlqTopic + "_redriven";
    }

    public RedriveReport run(RedriveFilter filter) throws Exception {
        ensureLedger();
        Set<String> done = new HashSet<>();
        readAll(ledgerTopic, r -> done.add(new String(r.key(), StandardCharsets.UTF_8)));
        RedriveReport report = new RedriveReport();
        List<DeadLetter> todo = new ArrayList<>();
        readAll(dlqTopic, r -> {
            DeadLetter letter = DeadLetter.of(r);
            report.seen(letter);
            if (!filter.matches(letter)) {
                return;
            }
            report.matched(letter);
            if (done.contains(letter.coordinates())) {
                report.alreadyRedriven(letter);
            } else if (!targets.contains(letter.sourceTopic())) {
                report.noTarget(letter);
            } else {
                todo.add(letter);
                report.plan();
            }
        });
        if (!filter.dryRun()) {
            publish(todo, report);
        }
        return report;
    }

    private void publish(List<DeadLetter> todo, RedriveReport report) {
        if (todo.isEmpty()) {
            return;
        }
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "user-logins-redrive-" + dlqTopic); // one run at a time: a second fences the first
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int from = 0; from < todo.size(); from += PER_TRANSACTION) {
                List<DeadLetter> chunk = todo.subList(from, Math.min(todo.size(), from + PER_TRANSACTION));
                producer.beginTransaction();
                try {
                    for (DeadLetter letter : chunk) {
                        producer.send(letter.redriven());
                        producer.send(new ProducerRecord<>(ledgerTopic, letter.coordinates().getBytes(StandardCharsets.UTF_8),
                                (letter.sourceTopic() + " at " + Instant.now()).getBytes(StandardCharsets.UTF_8)));
                    }
                    producer.commitTransaction();
                } catch (RuntimeException e) {
                    producer.abortTransaction();
                    throw e;
                }
                chunk.forEach(report::redriven);
            }
        }
    }

    private void ensureLedger() throws Exception {
        try (Admin admin = Admin.create(client)) {
            if (admin.listTopics().names().get().contains(ledgerTopic)) {
                return;
            }
            try {
                admin.createTopics(List.of(new NewTopic(ledgerTopic, Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicLeaders.await(admin, List.of(ledgerTopic), Duration.ofSeconds(60)); // else the first chunk could be lost
        }
    }

    /** Every committed record of the topic, from its start to its end as of now. */
    private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!end.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(r);
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
    }
}
