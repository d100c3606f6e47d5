package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;
import org.userlogins.events.UserEventJson;
import org.userlogins.writer.batch.Batch;
import org.userlogins.writer.batch.DeliveryStage;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.consume.BatchFlusher;
import org.userlogins.writer.dlq.DeadLetters;
import org.userlogins.writer.dlq.KafkaDeadLetters;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.sink.ClickHouseRowSink;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.sink.RowSink;
import org.userlogins.writer.table.TableDefinition;

/**
 * Issue 15, item 7, on the real ClickHouse: a batch whose rows a table rule partly refuses is
 * sorted out in a bounded number of inserts (as the writer's user, through client-v2 and RowBinary),
 * and a next owner that re-forms the recorded ranges after a crash between the inserts and the
 * commit repeats them token for token: the raw count, merges stopped, is the number of good rows.
 */
class RejectedRowsIT {
    private static final String TABLE = "user_logins";
    private final String db = ItSupport.unique("pipeline_it_chw_rej");
    private final Client admin = ItSupport.clickHouse(ItSupport.CH_URL);
    private final String clean = ItSupport.unique("chw_rej_clean");
    private final String dlqTopic = ItSupport.unique("chw_rej_dlq");
    private KafkaProducer<byte[], byte[]> producer;
    private final Client writer = new Client.Builder().addEndpoint(ItSupport.CH_URL).setUsername(ItSupport.CH_USER)
            .setPassword(ItSupport.CH_PASSWORD).setMaxRetries(0).build();

    @BeforeEach
    void createTable() throws Exception {
        ItSupport.createTopics(clean, dlqTopic);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ItSupport.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        ItSupport.exec(admin, TableDefinition.createDatabase(db, null));
        ItSupport.exec(admin, TableDefinition.createTable(db, TABLE, "ReplacingMergeTree(first_copy_version)", null));
        // Background merges would collapse copies and hide a repeated insert from the raw count.
        ItSupport.exec(admin, "SYSTEM STOP MERGES `" + db + "`." + TABLE);
    }

    @AfterEach
    void dropTable() {
        producer.close();
        ItSupport.deleteTopics(clean, dlqTopic);
        ItSupport.dropDatabase(admin, db);
        writer.close();
        admin.close();
    }

    /** The case: 1,000 rows of 30,000 (3 partitions) refused by a CHECK constraint, which names each. */
    @Test
    void shouldSortOutAThousandRowsAConstraintRefusesInBoundedInsertsAndRepeatThemAfterACrash() throws Exception {
        ItSupport.exec(admin, "ALTER TABLE `" + db + "`." + TABLE + " ADD CONSTRAINT no_bad CHECK ifNull(username, '') != 'bad'");
        Run run = crashAfterStoringThenReForm(30_000, 1_000, 3);

        assertThat(run.firstInserts).as("inserts of the first owner, 3 partition ranges").isLessThanOrEqualTo(3 * 500)
                .isEqualTo(1_000 + 3);
        assertThat(run.storedParts()).as("parts in the table: one per partition").isEqualTo(3);
        assertThat(run.letters).as("each refused row once, named by the server")
                .allMatch(l -> l.reason() == DlqReason.CLICKHOUSE_REJECTED && l.detail().contains("is violated at row"));
    }

    /** A rule that names no row (a throwIf in a MATERIALIZED column): halves, bounded, repeated token for token. */
    @Test
    void shouldSplitInHalvesWhenTheServerNamesNoRowAndRepeatThemAfterACrash() throws Exception {
        ItSupport.exec(admin, "ALTER TABLE `" + db + "`." + TABLE + " ADD COLUMN guard UInt8 MATERIALIZED throwIf(ifNull(username, '') = 'bad')");
        Run run = crashAfterStoringThenReForm(6_000, 20, 1);

        assertThat(run.firstInserts).isLessThanOrEqualTo(500);
        assertThat(run.letters).allMatch(l -> l.reason() == DlqReason.CLICKHOUSE_REJECTED);
    }

    private Run crashAfterStoringThenReForm(int n, int badCount, int partitions) throws Exception {
        List<Row> rows = rows(n, badCount, partitions);
        Set<Long> bad = new HashSet<>();
        rows.stream().filter(r -> "bad".equals(r.event().username())).forEach(r -> bad.add(r.event().id()));
        Run run = new Run();

        Batch crashed = batch(rows);
        BatchFlusher first = flusher(run, partitions, stage -> {
            if (stage == DeliveryStage.STORED) {
                throw new Halted(); // like WRITER_TEST_HALT_AT=STORED: dies after the inserts, before the commit
            }
        });
        long started = System.nanoTime();
        assertThatThrownBy(() -> first.flush(crashed)).isInstanceOf(Halted.class);
        long firstMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(crashed.stage()).isEqualTo(DeliveryStage.STORED);
        run.firstInserts = run.tokens.size();
        List<String> firstTokens = List.copyOf(run.tokens);
        List<DeadLetters.Letter> firstLetters = List.copyOf(run.letters);
        long rawAfterFirst = ItSupport.count(admin, db, TABLE, false);
        long dlqAfterFirst = dlqRecords();

        run.tokens.clear();
        run.letters.clear();
        started = System.nanoTime();
        flusher(run, partitions, BatchFlusher.StageHook.NONE).flush(batch(rows)); // the next owner re-forms the recorded ranges
        long nextMs = (System.nanoTime() - started) / 1_000_000;

        long raw = ItSupport.count(admin, db, TABLE, false);
        System.out.printf("[RejectedRowsIT] %d rows, %d refused, %d partitions: first owner %d inserts in %d ms (%.1f ms each), "
                        + "next owner %d inserts in %d ms; raw count %d after the first, %d after the next; %d parts%n",
                n, badCount, partitions, run.firstInserts, firstMs, (double) firstMs / run.firstInserts, run.tokens.size(), nextMs,
                rawAfterFirst, raw, run.storedParts());
        assertThat(run.tokens.equals(firstTokens)).as("the next owner's inserts: the same tokens in the same order").isTrue();
        assertThat(rawAfterFirst).isEqualTo(n - badCount);
        assertThat(raw).as("raw count without FINAL after the next owner: nothing stored twice").isEqualTo(n - badCount);
        assertThat(ItSupport.count(admin, db, TABLE, true)).isEqualTo(n - badCount);
        assertThat(ItSupport.query(admin, "SELECT count() AS c FROM `" + db + "`." + TABLE + " WHERE username = 'bad'").get(0).getLong("c"))
                .isZero();
        assertThat(firstLetters).as("refused rows to the DLQ, once each").hasSize(badCount);
        assertThat(dlqAfterFirst).as("records in the DLQ topic after the first owner").isEqualTo(badCount);
        assertThat(dlqRecords()).as("a next owner after a crash before the commit sends them again; redrive re-drives "
                + "each source record once (item 5)").isEqualTo(2L * badCount);
        assertThat(new TreeSet<>(firstLetters.stream().map(l -> UserEventJson.read(l.source().value()).id()).toList()))
                .isEqualTo(new TreeSet<>(bad));
        run.letters.clear();
        run.letters.addAll(firstLetters);
        return run;
    }

    private final class Run {
        final List<String> tokens = new ArrayList<>();
        final List<DeadLetters.Letter> letters = new ArrayList<>();
        int firstInserts;

        long storedParts() {
            return ItSupport.query(admin, "SELECT count() AS c FROM system.parts WHERE database = '" + db + "' AND table = '"
                    + TABLE + "' AND active").get(0).getLong("c");
        }
    }

    private static final class Halted extends RuntimeException {
    }

    private BatchFlusher flusher(Run run, int partitions, BatchFlusher.StageHook hook) {
        RowSink clickHouse = new ClickHouseRowSink(writer, db, TABLE, 120);
        RowSink counting = new RowSink() {
            @Override
            public void insert(List<Row> part, String token) throws InsertException {
                run.tokens.add(token);
                clickHouse.insert(part, token);
            }

            @Override
            public java.util.Set<Long> storedIds(java.util.Collection<Long> ids) throws InsertException {
                return clickHouse.storedIds(ids);
            }
        };
        KafkaDeadLetters kafka = new KafkaDeadLetters(producer, dlqTopic);
        DeadLetters dlq = new DeadLetters() {
            @Override
            public void send(ConsumerRecord<byte[], byte[]> source, DlqReason reason, String detail) {
                run.letters.add(new Letter(source, reason, detail));
                kafka.send(source, reason, detail);
            }

            @Override
            public void sendAll(List<Letter> letters) {
                run.letters.addAll(letters);
                kafka.sendAll(letters);
            }
        };
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(clean, p)).toList());
        return new BatchFlusher(counting, dlq, consumer, TABLE, new WriterMetrics(new SimpleMeterRegistry()),
                hook, System::currentTimeMillis);
    }

    /** Ids 1..n round-robin over the partitions, {@code badCount} of them (seeded) with username 'bad'. */
    private List<Row> rows(int n, int badCount, int partitions) {
        Random random = new Random(42);
        Set<Integer> bad = new HashSet<>();
        while (bad.size() < badCount) {
            bad.add(1 + random.nextInt(n));
        }
        long[] next = new long[partitions];
        List<Row> rows = new ArrayList<>(n);
        for (UserEvent e : ItSupport.events(1, n)) {
            UserEvent event = bad.contains((int) e.id())
                    ? new UserEvent(e.id(), "bad", e.eventType(), e.eventTime(), e.sourceLsn(), e.commitTimeMs(), e.captureTimeMs()) : e;
            int p = (int) ((e.id() - 1) % partitions);
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(clean, p, next[p]++, Long.toString(e.id()).getBytes(),
                    UserEventJson.write(event));
            rows.add(new Row(event, record));
        }
        return rows;
    }

    private long dlqRecords() throws Exception {
        return ItSupport.endOffsets(dlqTopic).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Batch batch(List<Row> rows) {
        Batch batch = new Batch();
        rows.forEach(r -> batch.add(r, 0));
        return batch;
    }
}
