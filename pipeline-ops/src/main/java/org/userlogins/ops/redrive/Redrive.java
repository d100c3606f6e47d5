package org.userlogins.ops.redrive;

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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.userlogins.kit.TopicLeaders;

/**
 * Re-publishes DLQ records to the topic they came from, after their cause was fixed. Each source
 * record is re-driven at most once, however many DLQ copies it has (a batch re-processed after a
 * crash rejects the same record again) and however many runs go at the same time:
 * <ul>
 * <li>The ledger, a compacted topic, is keyed by the source record ({@link DeadLetter#source()}),
 * and its entry is written in the same Kafka transaction as the re-published record, so the
 * pipeline's readers (read_committed) never see one without the other.</li>
 * <li>Every run uses one fixed transactional.id and calls initTransactions before it reads the
 * ledger: that fences any other run still going (its next send or commit fails, its open
 * transaction is aborted) and completes whatever it committed, so the ledger read next holds
 * everything any other run published, and the other run publishes nothing more.</li>
 * <li>Records are published as they are read, in transactions of at most {@value #PER_TRANSACTION}
 * records: a run holds one fetch of the DLQ ({@link #FETCH_BYTES}) and the producer's buffer
 * ({@link #BUFFER_BYTES}; a send waits while it is full), not the DLQ. The ledger's keys are held,
 * a few dozen bytes each.</li>
 * </ul>
 * A dry run creates no producer, so it never fences a real run. A re-driven record that fails
 * again returns to the DLQ as a new record with a new source position and its attempt count, and
 * can be re-driven again.
 */
public final class Redrive {
    /** A read that makes no progress for this long fails. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    static final int PER_TRANSACTION = 5_000;
    private static final long PER_TRANSACTION_BYTES = 64L * 1024 * 1024;
    /** Well inside the producer's transaction.timeout.ms (60 s), even while only skipped records are read. */
    private static final Duration TRANSACTION_OPEN_AT_MOST = Duration.ofSeconds(10);
    /** The consumer's fetch.max.bytes: what a run reads ahead of its sends (a larger first record still comes whole). */
    static final int FETCH_BYTES = 4 * 1024 * 1024;
    /** The producer's buffer.memory: sent but not yet acknowledged bytes at most. */
    static final long BUFFER_BYTES = 16L * 1024 * 1024;

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
        RedriveReport report = new RedriveReport();
        if (filter.dryRun()) {
            scan(filter, ledger(), report, null);
            return report;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions(); // before the ledger is read: fences any other run, completes what it committed
            Transactions transactions = new Transactions(producer, report);
            try {
                scan(filter, ledger(), report, transactions);
                transactions.commit();
            } catch (RuntimeException e) {
                transactions.abort();
                if (fenced(e)) {
                    throw new IllegalStateException("another re-drive run of " + dlqTopic + " started and took over; this one stopped after "
                            + report.redriven() + " records (committed, in the ledger); run it again to see what is left", e);
                }
                throw e;
            }
        }
        return report;
    }

    /**
     * Every DLQ record, once: counted, and published if it matches, has a target and its source
     * record is not in the ledger (nor re-driven earlier in this run). {@code transactions} null: a dry run.
     */
    private void scan(RedriveFilter filter, Set<String> done, RedriveReport report, Transactions transactions) {
        readAll(dlqTopic, r -> {
            DeadLetter letter = DeadLetter.of(r);
            report.seen(letter);
            if (filter.matches(letter)) {
                report.matched(letter);
                if (done.contains(letter.source()) || done.contains(letter.legacyLedgerKey())) {
                    done.add(letter.source()); // an entry of the old ledger (by DLQ position) covers the record's other copies too
                    report.alreadyRedriven(letter);
                } else if (!targets.contains(letter.sourceTopic())) {
                    report.noTarget(letter);
                } else {
                    done.add(letter.source()); // its other copies later in the DLQ are skipped
                    report.plan();
                    if (transactions != null) {
                        transactions.publish(letter);
                    }
                }
            }
            if (transactions != null) {
                transactions.commitIfDue();
            }
        });
    }

    /** The ledger's keys: source records re-driven (and DLQ positions, from before it was keyed by source). */
    private Set<String> ledger() {
        Set<String> done = new HashSet<>();
        readAll(ledgerTopic, r -> done.add(new String(r.key(), StandardCharsets.UTF_8)));
        return done;
    }

    /** Publishes re-driven records with their ledger entries, a transaction per {@value #PER_TRANSACTION} at most. */
    private final class Transactions {
        private final KafkaProducer<byte[], byte[]> producer;
        private final RedriveReport report;
        private final List<String> reasons = new ArrayList<>(); // of the open transaction's records, counted when it commits
        private long bytes;
        private long openedAt;

        Transactions(KafkaProducer<byte[], byte[]> producer, RedriveReport report) {
            this.producer = producer;
            this.report = report;
        }

        void publish(DeadLetter letter) {
            if (reasons.isEmpty()) {
                producer.beginTransaction();
                openedAt = System.nanoTime();
            }
            ProducerRecord<byte[], byte[]> out = letter.redriven();
            producer.send(out);
            producer.send(new ProducerRecord<>(ledgerTopic, letter.source().getBytes(StandardCharsets.UTF_8),
                    (letter.sourceTopic() + " at " + Instant.now() + " from " + letter.record().topic() + "-" + letter.legacyLedgerKey())
                            .getBytes(StandardCharsets.UTF_8)));
            reasons.add(letter.reason());
            bytes += (out.value() == null ? 0 : out.value().length) + (out.key() == null ? 0 : out.key().length);
        }

        void commitIfDue() {
            if (reasons.size() >= PER_TRANSACTION || bytes >= PER_TRANSACTION_BYTES
                    || (!reasons.isEmpty() && System.nanoTime() - openedAt > TRANSACTION_OPEN_AT_MOST.toNanos())) {
                commit();
            }
        }

        void commit() {
            if (reasons.isEmpty()) {
                return;
            }
            producer.commitTransaction();
            reasons.forEach(report::redriven);
            reasons.clear();
            bytes = 0;
        }

        void abort() {
            if (reasons.isEmpty()) {
                return;
            }
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                // fenced or failed: the coordinator aborts it (the other run's initTransactions, or the timeout)
            }
        }
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "user-logins-redrive-" + dlqTopic); // the same for every run: the newest fences the others
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(BUFFER_BYTES));
        return p;
    }

    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
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

    /** Every committed record of the topic, from its start to its end as of now, handed on as it is read. */
    private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_BYTES));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
            while (!end.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end: no progress for " + STALL_TIMEOUT.toSeconds() + " s");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    each.accept(r);
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
    }
}
