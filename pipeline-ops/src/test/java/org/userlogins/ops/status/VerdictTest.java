package org.userlogins.ops.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.probe.PostgresProbe.Backlog;
import org.userlogins.ops.probe.PostgresProbe.Publication;
import org.userlogins.ops.probe.PostgresProbe.Slot;

class VerdictTest {
    private static final Slot ACTIVE = new Slot("user_logins_capture", true, true, 1_000, 40, "reserved");
    /** What postgres-init/ creates: inserts and updates through the row filter. */
    private static final Publication FILTERED = new Publication("user_logins_pub", true, true, true, true, "(sent_to_kafka IS NOT TRUE)");
    private static final Publication INSERTS_ONLY = new Publication("user_logins_pub", true, true, false, true, null);

    /** A reading at time {@code at} (ms) of a pipeline with every server reachable. */
    private record Reading(long at, List<String> down, Backlog backlog, Slot slot, Publication publication, long published,
                           long events, long processorLag, long writerLag, long chRaw) {
        static Reading at(long at) {
            return new Reading(at, List.of(), new Backlog(0, -1, null), ACTIVE, FILTERED, 0, 100, 0, 0, 100);
        }

        Reading down(String... services) {
            return new Reading(at, List.of(services), backlog, slot, publication, published, events, processorLag, writerLag, chRaw);
        }

        Reading unsent(long rows, long oldestAgeSeconds) {
            return new Reading(at, down, new Backlog(rows, oldestAgeSeconds, oldestAgeSeconds < 0 ? "age unknown (track_commit_timestamp off)" : null),
                    slot, publication, published, events, processorLag, writerLag, chRaw);
        }

        Reading slot(Slot s) {
            return new Reading(at, down, backlog, s, publication, published, events, processorLag, writerLag, chRaw);
        }

        Reading publication(Publication p) {
            return new Reading(at, down, backlog, slot, p, published, events, processorLag, writerLag, chRaw);
        }

        Reading published(long counter) {
            return new Reading(at, down, backlog, slot, publication, counter, events, processorLag, writerLag, chRaw);
        }

        Reading flow(long events, long processorLag, long writerLag, long chRaw) {
            return new Reading(at, down, backlog, slot, publication, published, events, processorLag, writerLag, chRaw);
        }

        Snapshot snapshot() {
            return new Snapshot(at, down, backlog, slot, publication, published, events, events, 0, processorLag, writerLag, chRaw, chRaw, List.of());
        }
    }

    private static String verdict(Reading before, Reading after) {
        return Verdict.of(before.snapshot(), after.snapshot());
    }

    @Test
    void shouldBeInSyncWhenNothingIsPendingAnywhere() {
        Reading r = Reading.at(0);

        assertThat(verdict(r, r)).isEqualTo("in sync");
    }

    @Test
    void shouldBeCatchingUpWhenRecordsArePendingAndMoving() {
        Reading before = Reading.at(0).unsent(50, 2).flow(100, 10, 10, 80);
        Reading after = Reading.at(1000).unsent(20, 1).flow(130, 5, 5, 120);

        assertThat(verdict(before, after)).startsWith("catching up: 30 records in flight");
    }

    @Test
    void shouldCallAShrinkingBacklogCatchingUpEvenWhenNothingElseMovedAndEstimateWhenItIsDone() {
        Reading before = Reading.at(0).unsent(3_000, 600);
        Reading after = Reading.at(1000).unsent(2_000, 590);

        assertThat(verdict(before, after)).isEqualTo("catching up: 2000 records in flight, capture publishes the 2,000 unsent rows in ~2 s");
    }

    @Test
    void shouldEstimateFromCapturesPublishedCounterWhenItMoves() {
        Reading before = Reading.at(0).unsent(10_000, 30).published(5_000);
        Reading after = Reading.at(2000).unsent(10_000, 30).published(7_000);

        CaptureView view = CaptureView.of(before.snapshot(), after.snapshot());
        assertThat(view.publishing()).isTrue();
        assertThat(view.rowsPerSecond()).isEqualTo(1_000.0);
        assertThat(verdict(before, after)).endsWith("capture publishes the 10,000 unsent rows in ~10 s");
    }

    @Test
    void shouldCallARowCommittedMomentsAgoThatCaptureSeesAboutToBePublishedNotStalled() {
        Reading r = Reading.at(0).unsent(1, 2);

        assertThat(verdict(r, r)).isEqualTo("catching up: 1 unsent row, the oldest committed 2 s ago: capture is about to publish it");
        assertThat(Verdict.undecided(r.snapshot(), r.snapshot())).isFalse();
    }

    @Test
    void shouldCallAnOldBacklogThatDoesNotMoveStalledAndNameCapture() {
        Reading r = Reading.at(0).unsent(5, 3 * 3600);

        assertThat(verdict(r, r)).isEqualTo("stalled: 5 unsent rows in PostgreSQL, the oldest 3 h 0 min old, and capture is not making progress"
                + " (./pipeline logs cdc-capture)");
        assertThat(Verdict.undecided(r.snapshot(), r.snapshot())).as("worth another reading").isTrue();
    }

    @Test
    void shouldSayWhyAResetRowCanBeInvisibleWhenThePublicationSendsInsertsOnly() {
        Reading r = Reading.at(0).unsent(1, 600).publication(INSERTS_ONLY);

        assertThat(verdict(r, r)).startsWith("stalled: 1 unsent row, the oldest 10 min old, and capture published none: either they were set back"
                + " to FALSE or NULL by an UPDATE, which never reaches capture (publication user_logins_pub publishes inserts only)");
    }

    @Test
    void shouldNameRowsCaptureCannotSeeWhenItsSlotIsMissing() {
        Reading r = Reading.at(0).unsent(2, -1).slot(Slot.missing("user_logins_capture"));

        assertThat(verdict(r, r)).isEqualTo("stalled: 2 unsent rows capture cannot see: slot user_logins_capture does not exist"
                + " (capture creates it at start and snapshots the unsent rows)");
    }

    @Test
    void shouldNameRowsCaptureCannotSeeWhenTheSlotIsInactiveOrThePublicationLacksTheTable() {
        Reading inactive = Reading.at(0).unsent(2, 5).slot(new Slot("s", true, false, 10, 10, "reserved"));
        Reading unpublished = Reading.at(0).unsent(2, 5).publication(new Publication("p", true, true, true, false, null));

        assertThat(verdict(inactive, inactive)).isEqualTo("stalled: 2 unsent rows capture cannot see: slot s is inactive (no capture streams from it)");
        assertThat(verdict(unpublished, unpublished)).isEqualTo("stalled: 2 unsent rows capture cannot see: publication p does not include user_logins");
    }

    @Test
    void shouldNotCallAnInactiveSlotBlindWhileCapturePublishes() {
        Slot inactive = new Slot("s", true, false, 10, 10, "reserved");
        Reading before = Reading.at(0).unsent(100, 5).slot(inactive).published(0);
        Reading after = Reading.at(1000).unsent(100, 5).slot(inactive).published(50);

        assertThat(verdict(before, after)).startsWith("catching up");
    }

    @Test
    void shouldCallABacklogStalledWhenCaptureIsDownWhateverElseMoves() {
        Reading before = Reading.at(0).down("cdc-capture").unsent(7, 5).flow(100, 10, 0, 90);
        Reading after = Reading.at(1000).down("cdc-capture").unsent(7, 6).flow(100, 0, 0, 100);

        assertThat(verdict(Reading.at(0).down("cdc-capture").unsent(7, 5), Reading.at(1000).down("cdc-capture").unsent(7, 6)))
                .isEqualTo("stalled: 7 unsent rows capture cannot see: cdc-capture is down (./pipeline up starts what is down)");
        assertThat(verdict(before, after)).isEqualTo("catching up: 7 records in flight, but 7 unsent rows capture cannot see: cdc-capture is down"
                + " (./pipeline up starts what is down)");
    }

    @Test
    void shouldNameTheStageThatDoesNotMove() {
        Reading stuck = Reading.at(0).flow(100, 0, 40, 60);

        assertThat(verdict(stuck, stuck)).isEqualTo("stalled: ch-writer with lag 40 is not making progress (./pipeline logs ch-writer)");
    }

    @Test
    void shouldCallAPipelineWithADownServiceAndPendingWorkStalled() {
        Reading r = Reading.at(0).down("stream-processor").flow(100, 25, 0, 75);

        assertThat(verdict(r, r)).isEqualTo("stalled: stream-processor down with lag 25 (./pipeline up starts what is down)");
    }

    @Test
    void shouldCallADownServiceWithNothingPendingIdle() {
        Reading r = Reading.at(0).down("ch-writer");

        assertThat(verdict(r, r)).isEqualTo("idle: ch-writer down (./pipeline up starts what is down)");
    }

    @Test
    void shouldReportAnUnreachableServerFirst() {
        Snapshot s = new Snapshot(0, List.of(), null, null, null, -1, -1, -1, 0, 0, 0, 0, 0, List.of("PostgreSQL unreachable (refused)"));

        assertThat(Verdict.of(s, s)).isEqualTo("stalled: PostgreSQL unreachable (refused)");
    }
}
