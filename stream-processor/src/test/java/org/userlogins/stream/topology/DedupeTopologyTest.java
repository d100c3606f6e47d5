package org.userlogins.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userlogins.stream.topology.TopologyHarness.START;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.userlogins.stream.dedupe.FirstSeen;
import org.junit.jupiter.api.io.TempDir;

/** Dedupe by id: within the retention (record time) a copy of the same change is dropped; after it, or for a later change (LSN), it is new. */
class DedupeTopologyTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldWriteAnIdOnceWhenItArrivesTwiceWithinTheRetention() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1,\"username\":\"first\"}", START);
            t.send("1", "{\"id\":1,\"username\":\"second\"}", START.plus(Duration.ofDays(6)));
            assertThat(t.cleanValues()).containsExactly("{\"id\":1,\"username\":\"first\",\"event_type\":null,\"event_time\":null}");
        }
    }

    @Test
    void shouldDropACopyOfTheSameChangeButPassALaterChangeOfTheRow() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1,\"username\":\"a\",\"source_lsn\":100}", START);
            t.send("1", "{\"id\":1,\"username\":\"a\",\"source_lsn\":100}", START.plusSeconds(1)); // capture re-sent after a crash
            t.send("1", "{\"id\":1,\"username\":\"b\",\"source_lsn\":250}", START.plusSeconds(2)); // flag set back to FALSE
            t.send("1", "{\"id\":1,\"username\":\"b\",\"source_lsn\":250}", START.plusSeconds(3)); // that re-send, re-sent
            t.send("1", "{\"id\":1,\"username\":\"a\",\"source_lsn\":100}", START.plusSeconds(4)); // the old change again
            assertThat(t.cleanValues()).hasSize(2).satisfiesExactly(
                    first -> assertThat(first).contains("\"username\":\"a\"", "\"source_lsn\":100"),
                    second -> assertThat(second).contains("\"username\":\"b\"", "\"source_lsn\":250"));
        }
    }

    @Test
    void shouldDropASnapshotReReadButPassALaterChangeOfASnapshottedRow() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1,\"source_lsn\":0}", START); // read by the snapshot
            t.send("1", "{\"id\":1,\"source_lsn\":0}", START.plusSeconds(1)); // read again by a re-snapshot after a crash
            t.send("1", "{\"id\":1,\"source_lsn\":250}", START.plusSeconds(2)); // its flag set back to FALSE
            t.send("2", "{\"id\":2,\"source_lsn\":250}", START);
            t.send("2", "{\"id\":2,\"source_lsn\":0}", START.plusSeconds(1)); // a re-snapshot of a row already streamed
            assertThat(t.cleanValues()).hasSize(3);
        }
    }

    @Test
    void shouldDropACopyWithoutLsnOfAnIdSeenWithOne() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1,\"source_lsn\":100}", START);
            t.send("1", "{\"id\":1}", START.plusSeconds(1));
            t.send("2", "{\"id\":2}", START);
            t.send("2", "{\"id\":2,\"source_lsn\":100}", START.plusSeconds(1)); // the first copy's change is unknown: a duplicate
            assertThat(t.cleanValues()).hasSize(2);
        }
    }

    @Test
    void shouldTreatIdAsSameWhetherSentAsNumberOrString() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1}");
            t.send("1", "{\"id\":\"1\"}");
            assertThat(t.cleanValues()).hasSize(1);
        }
    }

    @Test
    void shouldTreatAnIdAsNewWhenItArrivesAfterTheRetention() {
        try (var t = new TopologyHarness(stateDir, Map.of("PROCESSOR_DEDUPE_RETENTION", "PT1H"), ProcessingListener.NONE)) {
            t.send("1", "{\"id\":1}", START);
            t.send("1", "{\"id\":1}", START.plus(Duration.ofMinutes(59)));
            t.send("1", "{\"id\":1}", START.plus(Duration.ofMinutes(60)));
            assertThat(t.cleanValues()).hasSize(2);
        }
    }

    @Test
    void shouldDropAnOlderOutOfOrderCopyOfAnIdAlreadyWritten() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1}", START.plus(Duration.ofHours(1)));
            t.send("1", "{\"id\":1}", START);
            assertThat(t.cleanValues()).hasSize(1);
        }
    }

    @Test
    void shouldNotDedupeRejectedMessagesOrLetThemMarkAnId() {
        try (var t = new TopologyHarness(stateDir)) {
            t.send("1", "{\"id\":1,\"event_time\":-5}");
            t.send("1", "{\"id\":1,\"event_time\":-5}");
            t.send("1", "{\"id\":1,\"event_time\":5}");
            assertThat(t.dlq.readValuesToList()).hasSize(2);
            assertThat(t.cleanValues()).hasSize(1);
        }
    }

    @Test
    void shouldPurgeFirstSeenMarksOlderThanTheRetentionOnTheWallClockPunctuation() {
        try (var t = new TopologyHarness(stateDir, Map.of("PROCESSOR_DEDUPE_RETENTION", "PT1H"), ProcessingListener.NONE)) {
            KeyValueStore<Long, FirstSeen> store = t.driver.getKeyValueStore(StreamTopology.DEDUPE_STORE);
            t.send("1", "{\"id\":1}", START);
            t.send("2", "{\"id\":2}", START.plus(Duration.ofMinutes(30)));
            t.send("3", "{\"id\":3}", START.plus(Duration.ofMinutes(61)));
            assertThat(store.get(1L)).isNotNull();

            t.driver.advanceWallClockTime(Duration.ofMinutes(1));

            assertThat(store.get(1L)).isNull();
            assertThat(store.get(2L).timeMs()).isEqualTo(START.plus(Duration.ofMinutes(30)).toEpochMilli());
            assertThat(store.get(3L)).isNotNull();
        }
    }
}
