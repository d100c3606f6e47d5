package org.userlogins.ops.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userlogins.events.SourceColumns;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.ops.probe.PostgresProbe.Backlog;
import org.userlogins.ops.probe.PostgresProbe.Publication;
import org.userlogins.ops.probe.PostgresProbe.Slot;

/** The status screen's lines about the backlog, the slot and capture. */
class PipelineStatusTest {
    @Test
    void shouldNameTheColumnsThatDoNotTravelAndSayNothingWhenEveryColumnDoes() {
        assertThat(PipelineStatus.describeLeftOut(SourceColumns.leftOut(List.of("id", "username", "event_type", "event_time", "sent_to_kafka"))))
                .isNull();
        assertThat(PipelineStatus.describeLeftOut(SourceColumns.leftOut(List.of("id", "username", "event_type", "event_time",
                "sent_to_kafka", "user_agent", "ip_address"))))
                .isEqualTo("left out: ip_address, user_agent (in user_logins, not carried to ClickHouse: the event carries "
                        + "event_time, event_type, id, username)");
    }

    @Test
    void shouldSayFalseOrNullAndTheOldestRowsAgeOrWhyItIsUnknown() {
        assertThat(PipelineStatus.backlog(new Backlog(3, 125, null))).isEqualTo("backlog 3 rows (sent_to_kafka FALSE or NULL), oldest 2 min old");
        assertThat(PipelineStatus.backlog(new Backlog(3, -1, "age unknown (track_commit_timestamp off)")))
                .isEqualTo("backlog 3 rows (sent_to_kafka FALSE or NULL), age unknown (track_commit_timestamp off)");
        assertThat(PipelineStatus.backlog(new Backlog(0, -1, null))).isEqualTo("backlog 0 rows (sent_to_kafka FALSE or NULL)");
    }

    @Test
    void shouldSayWhetherTheSlotStreamsAndAdvances() {
        Slot before = new Slot("s", true, true, 100, 0, "reserved");
        Slot after = new Slot("s", true, true, 160, 40, "reserved");

        assertThat(PipelineStatus.slot(before, after)).isEqualTo("s active, advancing, lag 40 B");
        assertThat(PipelineStatus.slot(null, Slot.missing("s"))).isEqualTo("s (no slot)");
    }

    @Test
    void shouldTellRowsCaptureWillPublishFromRowsItCannotSee() {
        Snapshot before = snapshot(List.of(), 1_000, 0, new Publication("p", true, true, false, true, null));
        Snapshot after = snapshot(List.of(), 500, 1000, new Publication("p", true, true, false, true, null));
        Snapshot down = snapshot(List.of("cdc-capture"), 500, 1000, new Publication("p", true, true, true, true, "(sent_to_kafka IS NOT TRUE)"));

        assertThat(PipelineStatus.capture(CaptureView.of(before, after), 500)).isEqualTo("will publish the 500 unsent rows: 500 rows/s, done in ~1 s;"
                + " not rows set back to FALSE or NULL by an UPDATE (publication p publishes inserts only)");
        assertThat(PipelineStatus.capture(CaptureView.of(down, down), 500)).isEqualTo("cannot see the 500 unsent rows: cdc-capture is down");
        assertThat(CaptureView.describe(down.publication())).isEqualTo("p: inserts and updates, row filter (sent_to_kafka IS NOT TRUE)");
    }

    private static Snapshot snapshot(List<String> down, long unsent, long at, Publication pub) {
        return new Snapshot(at, down, new Backlog(unsent, 10, null), new Slot("s", true, true, 1, 1, "reserved"), pub, -1,
                0, 0, 0, 0, 0, 0, 0, List.of());
    }

    @Test
    void shouldNameTheBrokersThatDoNotAnswerAndCountThePartitionsNotFullyReplicated() {
        assertThat(PipelineStatus.describe(new KafkaProbe.ClusterHealth(List.of(1, 2, 3), List.of(1, 2, 3), 2, 60, 0, 0)))
                .isEqualTo("brokers [1, 2, 3] of 3 answer; active controller 2; under-replicated partitions 0 of 60");
        assertThat(PipelineStatus.describe(new KafkaProbe.ClusterHealth(List.of(1, 3), List.of(1, 2, 3), 1, 60, 21, 0)))
                .isEqualTo("brokers [1, 3] of 3 answer ([2] not); active controller 1; under-replicated partitions 21 of 60");
    }
}
