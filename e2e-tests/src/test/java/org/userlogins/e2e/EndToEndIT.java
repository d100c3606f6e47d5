package org.userlogins.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.userlogins.ops.check.Reconciliation;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.KafkaProbe;

/**
 * The three services as processes on the real stack, one pipeline shared by the ordered steps
 * (JVM starts are the costly part). After each step `check` (the reconcile behind
 * ./pipeline check) must pass: every id sent in PostgreSQL is in ClickHouse, nothing else is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
    /**
     * How long a test waits for rows to arrive: a budget for a busy 2-core machine with JVMs still
     * warming up, not the latency we promise (about a second), which the bench measures.
     */
    private static final Duration DELIVERY_BUDGET = Duration.ofSeconds(90);
    private static final Duration RECOVERY_BUDGET = Duration.ofSeconds(120);

    private PipelineUnderTest pipeline;
    private ServiceUnderTest capture;
    private ServiceUnderTest processor;
    private ServiceUnderTest writer;

    @BeforeAll
    void startPipeline() throws Exception {
        pipeline = new PipelineUnderTest();
        writer = pipeline.start("ch-writer", "1");
        processor = pipeline.start("stream-processor", "1");
        capture = pipeline.start("cdc-capture", "1");
    }

    @AfterAll
    void stopPipeline() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void shouldDeliverEveryInsertedRowToClickHouseOnce() throws Exception {
        try (Connection db = pipeline.admin(); Statement st = db.createStatement()) {
            for (int t = 0; t < 10; t++) {
                st.executeUpdate("INSERT INTO user_logins (username, event_type, event_time) "
                        + "SELECT 'u' || g, 'login', now() AT TIME ZONE 'UTC' FROM generate_series(1, 100) g");
            }
        }

        Reconciliation result = awaitCheck(DELIVERY_BUDGET);
        assertThat(result.postgresSent()).isEqualTo(1000);
        assertThat(result.clickHouseRaw()).isEqualTo(1000);
    }

    @Test
    @Order(1)
    void shouldPublishAnInFlightMemoryCapThatFitsEachServicesHeap() throws Exception {
        for (ServiceUnderTest service : new ServiceUnderTest[] {capture, processor, writer}) {
            long heap = service.heapMib() * 1024L * 1024; // its -Xmx, the default of ./pipeline
            // Room left for the service itself: the memory tests measure ~100 MiB of heap beyond the cap.
            long cap = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(service::inFlightCapBytes, c -> c > 0);
            assertThat(cap).as("in-flight cap of " + service).isLessThan(heap - 96L * 1024 * 1024);
        }
    }

    @Test
    @Order(2)
    void shouldStayExactlyOnceWhenEachServiceRestartsInTurnMidStream() throws Exception {
        try (InsertLoad load = new InsertLoad(pipeline)) {
            for (ServiceUnderTest service : new ServiceUnderTest[] {capture, processor, writer}) {
                long before = load.inserted();
                service.restart();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.inserted() > before + 100);
            }
        }

        awaitCheck(RECOVERY_BUDGET);
    }

    @Test
    @Order(3)
    void shouldShareTheWorkWhenSecondInstancesJoinMidStream() throws Exception {
        ServiceUnderTest processor2;
        ServiceUnderTest writer2;
        try (InsertLoad load = new InsertLoad(pipeline)) {
            processor2 = pipeline.start("stream-processor", "2");
            writer2 = pipeline.start("ch-writer", "2");
            long before = load.inserted();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.inserted() > before + 200);
        }

        awaitCheck(RECOVERY_BUDGET);
        await().atMost(Duration.ofSeconds(30)).until(() -> processor2.healthy() && writer2.healthy());
        processor2.stop();
        writer2.stop();
    }

    @Test
    @Order(4)
    void shouldRebuildTheSameRowsWhenTheWriterGroupIsReplayedFromTheStart() throws Exception {
        Reconciliation before = awaitCheck(RECOVERY_BUDGET);
        writer.stop();
        awaitGroupEmpty();

        String report = pipeline.replay("--to-earliest");
        writer.start();

        assertThat(report).contains("records will be re-read");
        try (KafkaProbe kafka = new KafkaProbe(pipeline.opsSettings())) {
            await().atMost(RECOVERY_BUDGET).until(() -> kafka.lag(pipeline.env().get("WRITER_GROUP_ID"), pipeline.env().get("KAFKA_TOPIC_CLEAN")) == 0);
        }
        Reconciliation after = awaitCheck(RECOVERY_BUDGET);
        assertThat(after.clickHouseFinal()).isEqualTo(before.clickHouseFinal());
        try (ClickHouseProbe ch = new ClickHouseProbe(pipeline.opsSettings())) {
            assertThat(ch.single("SELECT count() - uniqExact(id) FROM " + ch.table() + " FINAL")).isZero();
        }
    }

    @Test
    @Order(5)
    void shouldStoreWhatIsNotCommittedTrueOnceAndARowSetBackToFalseAgain() throws Exception {
        long resent;
        long unsent;
        long nullFlag;
        long sent;
        long trueThenFalse;
        long falseThenTrue;
        // Raw counts are only meaningful before ReplacingMergeTree collapses the re-send: no merges meanwhile.
        try (ClickHouseProbe admin = pipeline.clickHouseAdmin()) {
            admin.query("SYSTEM STOP MERGES " + admin.table());
        }
        try (Connection db = pipeline.admin(); Statement st = db.createStatement()) {
            resent = single(st, "SELECT min(id) FROM user_logins");
            unsent = single(st, "INSERT INTO user_logins (username, event_type, event_time) VALUES ('flag-false', 'login', now()) RETURNING id");
            nullFlag = single(st, "INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) VALUES ('flag-null', 'login', now(), NULL) RETURNING id");
            sent = single(st, "INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka) VALUES ('flag-true', 'login', now(), TRUE) RETURNING id");
            db.setAutoCommit(false);
            trueThenFalse = single(st, "INSERT INTO user_logins (username, sent_to_kafka) VALUES ('true-then-false', TRUE) RETURNING id");
            st.execute("UPDATE user_logins SET sent_to_kafka = FALSE WHERE id = " + trueThenFalse);
            db.commit();
            falseThenTrue = single(st, "INSERT INTO user_logins (username, sent_to_kafka) VALUES ('false-then-true', FALSE) RETURNING id");
            st.execute("UPDATE user_logins SET sent_to_kafka = TRUE WHERE id = " + falseThenTrue);
            db.commit();
            db.setAutoCommit(true);
            // The seed's way to ask for a re-send: the row's flag back to FALSE.
            st.execute("UPDATE user_logins SET sent_to_kafka = FALSE WHERE id = " + resent);
        }

        awaitCheck(DELIVERY_BUDGET); // every flagged id stored, or known never published (the TRUE ones)
        try (ClickHouseProbe ch = new ClickHouseProbe(pipeline.opsSettings())) {
            await().atMost(DELIVERY_BUDGET).untilAsserted(() -> assertThat(rawCount(ch, resent)).as("raw rows of the re-sent id").isEqualTo(2));
            assertThat(List.of(rawCount(ch, unsent), rawCount(ch, nullFlag), rawCount(ch, sent), rawCount(ch, trueThenFalse), rawCount(ch, falseThenTrue)))
                    .as("raw rows of: FALSE, NULL, TRUE, TRUE then FALSE, FALSE then TRUE").containsExactly(1L, 1L, 0L, 1L, 0L);
            assertThat(ch.single("SELECT count() FROM " + ch.table() + " FINAL WHERE id = " + resent)).as("FINAL collapses the re-send").isEqualTo(1);
        } finally {
            try (ClickHouseProbe admin = pipeline.clickHouseAdmin()) {
                admin.query("SYSTEM START MERGES " + admin.table());
            }
        }
    }

    private static long rawCount(ClickHouseProbe ch, long id) throws Exception {
        return ch.single("SELECT count() FROM " + ch.table() + " WHERE id = " + id);
    }

    private static long single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(6)
    void shouldKeepEveryPasswordOutOfTheServicesLogs() throws Exception {
        List<String> secrets = Stream.of("PGPASSWORD", "CAPTURE_PGPASSWORD", "CLICKHOUSE_PASSWORD", "CLICKHOUSE_ADMIN_PASSWORD")
                .map(pipeline.env()::get).filter(v -> v != null && v.length() >= 6).toList();
        assertThat(secrets).as("the stack's generated passwords (./pipeline env)").isNotEmpty();
        List<Path> logs;
        try (Stream<Path> files = Files.list(Path.of("target/e2e-logs"))) {
            logs = files.toList();
        }
        assertThat(logs).as("the logs of this run's services").isNotEmpty();
        for (Path log : logs) {
            String text = Files.readString(log);
            for (String secret : secrets) {
                assertThat(text.contains(secret)).as("a password appears in %s", log).isFalse();
            }
        }
    }

    private void awaitGroupEmpty() {
        // The replay tool refuses to reset a group with live members: wait until the stopped writer left it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                pipeline.replay("--to-earliest", "--dry-run");
                return true;
            } catch (AssertionError e) {
                return false;
            }
        });
    }

    /** Waits until every row in PostgreSQL is sent and check passes: nothing missing, nothing extra. */
    private Reconciliation awaitCheck(Duration bound) {
        Reconciliation[] last = new Reconciliation[1];
        await().atMost(bound).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            last[0] = pipeline.check();
            assertThat(last[0].postgresSent()).as("rows sent vs rows in user_logins").isEqualTo(rowsInPostgres());
            assertThat(last[0].passed()).as("check: %n%s", last[0].describe()).isTrue();
        });
        return last[0];
    }

    private long rowsInPostgres() throws Exception {
        try (Connection db = pipeline.admin(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM user_logins")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
