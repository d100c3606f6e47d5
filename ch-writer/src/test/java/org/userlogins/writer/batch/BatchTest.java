package org.userlogins.writer.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userlogins.writer.testing.Records.row;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.userlogins.writer.testing.Records;

class BatchTest {
    private static final TopicPartition P0 = new TopicPartition(Records.TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(Records.TOPIC, 1);

    @Test
    void shouldCommitTheNextOffsetOfEachPartitionIncludingSkippedRecords() {
        Batch batch = new Batch();
        batch.add(row(0, 100, 1), 0);
        batch.add(row(0, 101, 2), 0);
        batch.add(row(1, 5, 3), 0);
        batch.skip(Records.record(1, 6, 4), 0);

        assertThat(batch.offsetsToCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(102), P1, new OffsetAndMetadata(7)));
        assertThat(batch.size()).isEqualTo(3);
    }

    @Test
    void shouldDropTheRowsAndOffsetsOfRevokedPartitions() {
        Batch batch = new Batch();
        batch.add(row(0, 100, 1), 0);
        batch.add(row(1, 5, 3), 0);

        int dropped = batch.drop(List.of(P1));

        assertThat(dropped).isEqualTo(1);
        assertThat(batch.offsetsToCommit()).containsOnlyKeys(P0);
        assertThat(batch.covers(List.of(P1))).isFalse();
    }

    @Test
    void shouldBuildTheSameTokenForTheSameRowsWhateverTheirInterleaving() {
        List<Row> a = List.of(row(1, 5, 3), row(0, 100, 1), row(0, 199, 2), row(1, 80, 4));
        List<Row> b = List.of(row(0, 100, 1), row(1, 5, 3), row(1, 80, 4), row(0, 199, 2));

        assertThat(DedupToken.of("user_logins", a)).startsWith("user_logins:p0:100-199,p1:5-80#")
                .isEqualTo(DedupToken.of("user_logins", b));
        assertThat(DedupToken.of("user_logins", List.of(row(0, 100, 1), row(0, 199, 9))))
                .as("other content at the same offsets").isNotEqualTo(DedupToken.of("user_logins", List.of(row(0, 100, 1), row(0, 199, 2))));
    }

    @Test
    void shouldFlushWhenFullOrWhenTheFirstRecordWaitedMaxWait() {
        FlushPolicy policy = new FlushPolicy(3, Duration.ofMillis(200));
        Batch batch = new Batch();
        assertThat(policy.shouldFlush(batch, 10_000)).isFalse();
        assertThat(policy.pollTimeout(batch, 0)).isEqualTo(Duration.ofMillis(FlushPolicy.IDLE_POLL_MS));

        batch.add(row(0, 0, 1), 1_000);
        assertThat(policy.shouldFlush(batch, 1_199)).isFalse();
        assertThat(policy.pollTimeout(batch, 1_150)).isEqualTo(Duration.ofMillis(50));
        assertThat(policy.shouldFlush(batch, 1_200)).isTrue();

        batch.add(row(0, 1, 2), 1_001);
        batch.add(row(0, 2, 3), 1_002);
        assertThat(policy.shouldFlush(batch, 1_003)).isTrue();
    }

    @Test
    void shouldFlushWhenNoRecordCameForTheQuietGapAndNotBefore() {
        FlushPolicy policy = new FlushPolicy(1_000, Duration.ofMillis(200), FlushPolicy.DEFAULT_MAX_BYTES, Duration.ofMillis(10));
        Batch batch = new Batch();
        batch.add(row(0, 0, 1), 1_000);
        batch.add(row(0, 1, 2), 1_008);
        assertThat(policy.shouldFlush(batch, 1_017)).as("9 ms after the last record").isFalse();
        assertThat(policy.pollTimeout(batch, 1_010)).as("poll only until the gap ends").isEqualTo(Duration.ofMillis(8));
        assertThat(policy.shouldFlush(batch, 1_018)).as("10 ms after the last record").isTrue();
    }

    @Test
    void shouldWaitAfterAFlushAsLongAsItTookBeforeAQuietFlush() {
        FlushPolicy policy = new FlushPolicy(1_000, Duration.ofMillis(200), FlushPolicy.DEFAULT_MAX_BYTES, Duration.ofMillis(10));
        Batch batch = new Batch(1_050); // the last flush ended at 1_025 after 25 ms
        batch.add(row(0, 0, 1), 1_000);
        batch.add(row(0, 1, 2), 1_008);
        assertThat(policy.shouldFlush(batch, 1_018)).as("quiet, but the writer has not idled as long as it inserted").isFalse();
        assertThat(policy.pollTimeout(batch, 1_018)).isEqualTo(Duration.ofMillis(32));
        assertThat(policy.shouldFlush(batch, 1_050)).isTrue();
        Batch held = new Batch(5_000);
        held.add(row(0, 2, 3), 1_000);
        assertThat(policy.shouldFlush(held, 1_200)).as("the age rule is not held back").isTrue();
    }

    @Test
    void shouldFlushByAgeWhenRecordsKeepComingInsideTheQuietGap() {
        FlushPolicy policy = new FlushPolicy(1_000, Duration.ofMillis(200), FlushPolicy.DEFAULT_MAX_BYTES, Duration.ofMillis(10));
        Batch batch = new Batch();
        for (int i = 0; i < 40; i++) {
            batch.add(row(0, i, i + 1), 1_000 + 5L * i);
        }
        assertThat(policy.shouldFlush(batch, 1_199)).as("the last record came 4 ms ago, the first 199 ms ago").isFalse();
        assertThat(policy.pollTimeout(batch, 1_199)).isEqualTo(Duration.ofMillis(1));
        assertThat(policy.shouldFlush(batch, 1_200)).as("the first record waited maxWait").isTrue();
    }

    @Test
    void shouldFlushWhenTheRowsReachMaxBytesWhateverTheirCount() {
        Row small = row(0, 0, 1);
        long rowBytes = small.source().value().length;
        FlushPolicy policy = new FlushPolicy(1_000, Duration.ofMinutes(1), 3 * rowBytes);
        Batch batch = new Batch();
        batch.add(small, 0);
        batch.add(row(0, 1, 2), 0);
        assertThat(batch.bytes()).isEqualTo(2 * rowBytes);
        assertThat(policy.shouldFlush(batch, 0)).isFalse();

        batch.add(row(0, 2, 3), 0);
        assertThat(policy.shouldFlush(batch, 0)).as("3 rows of %d bytes reach the %d-byte cap", rowBytes, 3 * rowBytes).isTrue();

        batch.drop(List.of(P0));
        assertThat(batch.bytes()).as("dropped rows no longer count").isZero();
    }

    @Test
    void shouldFlushABatchThatOnlyHasOffsetsToCommit() {
        FlushPolicy policy = new FlushPolicy(3, Duration.ofMillis(200));
        Batch batch = new Batch();
        batch.skip(Records.record(0, 7, 1), 0);

        assertThat(policy.shouldFlush(batch, 200)).isTrue();
    }

    @Test
    void shouldDoubleTheBackoffUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

        assertThat(List.of(1, 2, 3, 7, 8, 100).stream().map(backoff::delayAfter).map(Duration::toMillis))
                .containsExactly(500L, 1000L, 2000L, 30_000L, 30_000L, 30_000L);
    }
}
