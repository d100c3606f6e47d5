package org.userlogins.ops.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.userlogins.events.Topics;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.events.TopicSpec;
import org.userlogins.kit.TopicSetup;

/**
 * Re-drive on the real broker, no ClickHouse: DLQ records are written here with the headers the
 * stages write, and what the re-drive publishes is read back from the target topic (read_committed).
 * Each record is re-driven once: whatever the number of DLQ copies of its source record, whatever
 * the number of runs at the same time, and a run holds a bounded window of records, not the DLQ.
 */
class RedriveOnceIT {
    private static final RedriveFilter ALL = new RedriveFilter(null, null, false);

    private static final OpsSettings SETTINGS = OpsSettings.fromEnv(Env.system());

    private final String dlq = unique("rdo_dlq");
    private final String target = unique("rdo_clean");

    @BeforeEach
    void createTopics() throws Exception {
        try (Admin admin = Admin.create(KafkaProbe.adminConfig(SETTINGS))) {
            TopicSetup.create(admin, List.of(TopicSpec.dlq(dlq), TopicSpec.clean(target)));
        }
    }

    @AfterEach
    void deleteTopics() throws Exception {
        try (Admin admin = Admin.create(KafkaProbe.adminConfig(SETTINGS))) {
            admin.deleteTopics(List.of(dlq, target, Redrive.ledgerTopic(dlq))).all().get();
        }
    }

    private static String unique(String prefix) {
        return prefix + "_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void shouldRedriveTwoDlqCopiesOfOneSourceRecordOnce() throws Exception {
        // The writer crashed after sending record 0@7's reject and before committing: the batch was
        // re-processed and rejected it again. Record 0@8 was rejected once. Capture's reject has no
        // source offset and no target: it is never re-driven.
        produceDlq(List.of(
                letter("7", target, 0, 7L, "clickhouse_rejected", 10),
                letter("8", target, 0, 8L, "clickhouse_rejected", 10),
                letter("7", target, 0, 7L, "clickhouse_rejected", 10),
                letter("9", "postgresql", null, null, "unsupported_type", 10)));

        RedriveReport report = redrive(client(), ALL);

        assertThat(targetKeys()).as("published to %s", target).containsExactlyInAnyOrder("7", "8");
        assertThat(report.redriven()).isEqualTo(2);
        assertThat(report.alreadyRedriven()).as("the second copy of 0@7").isEqualTo(1);

        RedriveReport again = redrive(client(), ALL);
        assertThat(again.redriven()).as("a second run").isZero();
        assertThat(again.alreadyRedriven()).isEqualTo(3);
        assertThat(targetKeys()).hasSize(2);
    }

    @Test
    void shouldRedriveACopyOfARecordRedrivenBeforeTheUpgradeNever() throws Exception {
        // Before the ledger was keyed by source record, it was keyed by the DLQ copy's position
        // ("partition@offset"): a run of the old version re-drove the copy at DLQ 0@0.
        produceDlq(List.of(
                letter("7", target, 0, 7L, "clickhouse_rejected", 10),
                letter("7", target, 0, 7L, "clickhouse_rejected", 10)));
        new Redrive(client(), dlq, Set.of(target)).run(new RedriveFilter(null, null, true)); // creates the ledger
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            p.send(new ProducerRecord<>(Redrive.ledgerTopic(dlq), utf8("0@0"), utf8(target + " at 2026-01-01T00:00:00Z"))).get();
        }

        RedriveReport report = redrive(client(), ALL);

        assertThat(report.redriven()).isZero();
        assertThat(report.alreadyRedriven()).isEqualTo(2);
        assertThat(targetKeys()).isEmpty();
    }

    @Test
    void shouldPublishEachRecordOnceInTotalWhenASecondRunStartsWhileTheFirstIsUnderWay() throws Exception {
        int n = 50;
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            letters.add(letter(Integer.toString(i), target, i % 3, 1000L + i, "clickhouse_rejected", 100));
        }
        produceDlq(letters);
        // The first run is held when its first DLQ records arrive (it has read the ledger by then),
        // the second runs from start to end meanwhile, then the first goes on.
        PauseAtDlq.arm(dlq);
        Properties held = client();
        held.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, PauseAtDlq.class.getName());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RedriveReport> first = pool.submit(() -> redrive(held, ALL));
            assertThat(PauseAtDlq.arrived.await(60, TimeUnit.SECONDS)).as("the first run reached the DLQ").isTrue();
            RedriveReport second = redrive(client(), ALL);
            PauseAtDlq.release.countDown();
            Object firstOutcome;
            try {
                firstOutcome = first.get(120, TimeUnit.SECONDS).redriven() + " re-driven";
            } catch (ExecutionException e) {
                firstOutcome = e.getCause().getMessage();
            }

            System.out.printf("RedriveOnceIT: a second run while the first was under way: first %s; second %d re-driven%n", firstOutcome, second.redriven());
            assertThat(targetKeys()).as("published in total (first run: %s; second: %d)", firstOutcome, second.redriven())
                    .hasSize(n).doesNotHaveDuplicates();
            assertThat(second.redriven()).isEqualTo(n);
            assertThat(firstOutcome.toString()).as("the first run, taken over by the second").contains("another re-drive run");
        } finally {
            PauseAtDlq.release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void shouldPublishEachRecordOnceInTotalWhenTwoRunsStartTogether() throws Exception {
        int n = 3_000;
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            letters.add(letter(Integer.toString(i), target, i % 3, 1000L + i, "clickhouse_rejected", 100));
        }
        produceDlq(letters);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RedriveReport>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return redrive(client(), ALL);
                }));
            }
            go.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<RedriveReport> run : runs) {
                try {
                    outcomes.add(run.get(180, TimeUnit.SECONDS).redriven() + " re-driven");
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause().getMessage());
                }
            }
            System.out.printf("RedriveOnceIT: two runs started together: %s%n", outcomes);
            assertThat(targetKeys()).as("published in total (runs: %s)", outcomes).hasSize(n).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldHoldABoundedWindowOfRecordsNotTheWholeDlq() throws Exception {
        int n = 96;
        int bytes = 512 * 1024; // 48 MiB in all
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            letters.add(letter(Integer.toString(i), target, i % 3, 1000L + i, "clickhouse_rejected", bytes));
        }
        produceDlq(letters);
        HeldValues.arm(dlq, n);
        Properties watched = client();
        watched.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, HeldValues.class.getName());

        RedriveReport report = redrive(watched, ALL);

        System.out.printf("RedriveOnceIT: %d of %d DLQ values still reachable when the last one arrived%n", HeldValues.heldAtLast, n);
        assertThat(report.redriven()).isEqualTo(n);
        assertThat(targetKeys()).hasSize(n).doesNotHaveDuplicates();
        assertThat(HeldValues.heldAtLast).as("DLQ values still reachable when the last one arrived (of %d, %d KiB each)", n, bytes / 1024)
                .isBetween(1, 32); // at most 16 MiB of the 48
    }

    // --- helpers ---

    private RedriveReport redrive(Properties client, RedriveFilter filter) throws Exception {
        return new Redrive(client, dlq, Set.of(target)).run(filter);
    }

    private static Properties client() {
        Properties p = new Properties();
        p.putAll(SETTINGS.kafkaClientConfig());
        return p;
    }

    /** A DLQ record as a stage writes it: the original key and bytes, the reason and the source in headers. */
    private ProducerRecord<byte[], byte[]> letter(String key, String sourceTopic, Integer partition, Long offset, String reason, int bytes) {
        RecordHeaders h = new RecordHeaders();
        h.add("dlq.reason", utf8(reason));
        h.add("dlq.detail", utf8("test"));
        h.add("dlq.source.topic", utf8(sourceTopic));
        if (offset != null) {
            h.add("dlq.source.partition", utf8(Integer.toString(partition)));
            h.add("dlq.source.offset", utf8(Long.toString(offset)));
        }
        h.add("dlq.time", utf8(Long.toString(System.currentTimeMillis())));
        h.add("dlq.stage", utf8("ch-writer"));
        byte[] value = new byte[bytes];
        java.util.Arrays.fill(value, (byte) 'x');
        return new ProducerRecord<>(dlq, 0, null, utf8(key), value, h); // partition 0: DLQ positions 0@0, 0@1, ...
    }

    private void produceDlq(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            records.forEach(r -> acks.add(p.send(r)));
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = client();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.DLQ_MAX_MESSAGE_BYTES));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The keys of the target's committed records. */
    /**
     * The keys of the committed records in the target. Read up to the log's end as a read_uncommitted
     * client sees it: a read_committed client's own end is the last stable offset, which lags a
     * just-committed transaction until its markers are written, and would end the read too early.
     */
    private List<String> targetKeys() {
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> log = new KafkaConsumer<>(client(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(target).stream().map(i -> new TopicPartition(target, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(log.endOffsets(partitions));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
            }
        }
        return keys;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A hook for the re-drive's Kafka clients (its settings go to its consumers and its producer
     * alike, so it is both kinds of interceptor); a no-op unless a subclass says otherwise.
     */
    public abstract static class ClientHook implements ConsumerInterceptor<byte[], byte[]>, ProducerInterceptor<byte[], byte[]> {
        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /** Holds the run in its first poll that brings DLQ records, until released. */
    public static final class PauseAtDlq extends ClientHook {
        static volatile String topic;
        static volatile CountDownLatch arrived;
        static volatile CountDownLatch release;

        static void arm(String dlq) {
            topic = dlq;
            arrived = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            boolean fromDlq = false;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                fromDlq |= r.topic().equals(topic);
            }
            if (fromDlq && arrived.getCount() > 0) {
                arrived.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }

    /**
     * Watches every DLQ value the run reads (weakly); when the last one arrives, collects garbage and
     * counts how many of them the run still holds.
     */
    public static final class HeldValues extends ClientHook {
        static volatile String topic;
        static volatile int expected;
        static final List<WeakReference<byte[]>> VALUES = new ArrayList<>();
        static volatile int heldAtLast = -1;

        static void arm(String dlq, int n) {
            topic = dlq;
            expected = n;
            synchronized (VALUES) {
                VALUES.clear();
            }
            heldAtLast = -1;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            synchronized (VALUES) {
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.topic().equals(topic)) {
                        VALUES.add(new WeakReference<>(r.value()));
                    }
                }
                if (VALUES.size() >= expected && heldAtLast < 0) {
                    System.gc();
                    System.gc();
                    heldAtLast = (int) VALUES.stream().filter(ref -> ref.get() != null).count();
                }
            }
            return records;
        }
    }
}
