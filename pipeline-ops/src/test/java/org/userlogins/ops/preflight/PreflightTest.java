package org.userlogins.ops.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.events.TopicSpec;

class PreflightTest {
    @Test
    void shouldFindTheWritersGrantsOnItsDatabaseAPatternOrEverything() {
        String engine = "GRANT TABLE ENGINE ON ReplacingMergeTree TO w";
        assertThat(ClickHousePreflight.lacking(List.of("GRANT CREATE DATABASE, CREATE TABLE, INSERT, SELECT, SHOW ON pipeline*.* TO w", engine),
                "pipeline_prod", "ReplacingMergeTree")).isEmpty();
        assertThat(ClickHousePreflight.lacking(List.of("GRANT ALL ON *.* TO w"), "shop", "ReplacingMergeTree")).isEmpty();
        assertThat(ClickHousePreflight.lacking(List.of("GRANT INSERT, SELECT ON `shop`.* TO w", engine), "shop", "ReplacingMergeTree"))
                .containsExactly("CREATE DATABASE", "CREATE TABLE", "SHOW");
        assertThat(ClickHousePreflight.lacking(List.of("GRANT ALL ON other.* TO w", engine), "shop", "ReplacingMergeTree")).hasSize(5);
        assertThat(ClickHousePreflight.lacking(List.of("GRANT ALL ON shop.* TO w", engine), "shop", "ReplicatedReplacingMergeTree"))
                .as("the grant names another engine").containsExactly("TABLE ENGINE ON ReplicatedReplacingMergeTree");
    }

    @Test
    void shouldPrintEachGapWithWhatToRunServerByServer() {
        String report = Preflight.report(List.of(
                Finding.ok("postgres", "wal_level = logical"),
                Finding.missing("postgres", "table public.user_logins", "it does not exist", "CREATE TABLE ...;"),
                Finding.missing("kafka", "topic user_events", "it does not exist", "kafka-topics.sh --create ..."),
                Finding.unconfirmed("clickhouse", "grants", "granted through roles")));

        assertThat(report).contains("  ok       postgres    wal_level = logical", "  MISSING  postgres    table public.user_logins: it does not exist",
                "  ?        clickhouse  grants: granted through roles", "2 missing.", "-- postgres\nCREATE TABLE ...;",
                "# kafka\nkafka-topics.sh --create ...");
        assertThat(Preflight.report(List.of(Finding.ok("kafka", "topic")))).contains("nothing missing");
    }

    @Test
    void shouldCreateATopicAsTheStackDoes() {
        KafkaPreflight kafka = new KafkaPreflight(Map.of(), "k1:9092", List.of(), null);

        assertThat(kafka.create(TopicSpec.dlq("user_events_dlq"))).isEqualTo("kafka-topics.sh --bootstrap-server k1:9092 --create "
                + "--topic user_events_dlq --partitions 3 --replication-factor 1 --config cleanup.policy=delete "
                + "--config max.message.bytes=2097152 --config retention.ms=2592000000");
    }
}
