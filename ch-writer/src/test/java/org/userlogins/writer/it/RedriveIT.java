package org.userlogins.writer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.userlogins.events.UserEvent;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.redrive.Redrive;
import org.userlogins.ops.redrive.RedriveTool;

/**
 * DLQ re-drive on the real broker and ClickHouse: a row ClickHouse refuses goes to the DLQ; re-driven
 * before the fix it fails again and returns with its attempt count; re-driven after the fix it lands
 * once; re-driven again, nothing changes.
 */
class RedriveIT extends WriterItBase {
    @AfterEach
    void deleteLedger() {
        ItSupport.deleteTopics(Redrive.ledgerTopic(dlq));
    }

    @Test
    void shouldLandARejectedRowOnceAfterTheFixAndChangeNothingWhenReDrivenAgain() throws Exception {
        try (InProcessWriter writer = new InProcessWriter(env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !ItSupport.query(ch,
                    "SELECT 1 FROM system.tables WHERE database = '" + db + "' AND name = 'user_logins'").isEmpty());
            // The cause: a rule of the table (stands for any row ClickHouse refuses until someone fixes it).
            ItSupport.exec(ch, "ALTER TABLE `" + db + "`.user_logins ADD CONSTRAINT no_bad CHECK ifNull(username, '') != 'bad'");
            List<UserEvent> events = new ArrayList<>(ItSupport.events(1, 9));
            events.add(UserEvent.of(100, "bad", "login", 1L));
            ItSupport.produce(topic, events, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> dlqRecords().size() == 1 && allCommitted());
            assertThat(rawCount()).isEqualTo(9);

            assertThat(redrive("--reason", "clickhouse_rejected")).as("re-drive before the fix").isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> dlqRecords().size() == 2);
            assertThat(header(dlqRecords().get(1), "redrive.attempt")).as("failed again, counted").isEqualTo("1");

            ItSupport.exec(ch, "ALTER TABLE `" + db + "`.user_logins DROP CONSTRAINT no_bad");
            assertThat(redrive("--reason", "clickhouse_rejected")).as("re-drive after the fix").isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> rawCount() == 10);

            assertThat(redrive()).as("re-drive again, every reason").isZero();
            await().atMost(Duration.ofSeconds(30)).until(this::allCommitted);
            assertThat(rawCount()).as("raw count, without FINAL, after the second re-drive").isEqualTo(10);
            assertThat(ItSupport.query(ch, "SELECT username FROM `" + db + "`.user_logins WHERE id = 100").get(0).getString("username"))
                    .isEqualTo("bad");
            assertThat(dlqRecords()).hasSize(2);
        }
    }

    private int redrive(String... args) {
        Map<String, String> toolEnv = new HashMap<>(env);
        toolEnv.put("KAFKA_TOPIC_EVENTS", topic + "_events_unused");
        return RedriveTool.run(args, OpsSettings.fromEnv(new Env(toolEnv)));
    }

    private long rawCount() {
        return ItSupport.count(ch, db, "user_logins", false);
    }

    /** The DLQ's records, in the order they were written (one key, so one partition). */
    private List<ConsumerRecord<byte[], byte[]>> dlqRecords() {
        Properties p = new Properties();
        p.put("bootstrap.servers", ItSupport.BOOTSTRAP);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(dlq).stream().map(i -> new TopicPartition(dlq, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return r.headers().lastHeader(name) == null ? null : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
