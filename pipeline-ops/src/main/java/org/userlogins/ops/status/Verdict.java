package org.userlogins.ops.status;

import java.util.ArrayList;
import java.util.List;

/**
 * The one-line judgement of `./pipeline status`, from two readings taken a moment apart.
 * "stalled" only when nothing moved between them and nothing says it is about to: a backlog that
 * shrinks, records that advance anywhere, or unsent rows committed moments ago that capture (up,
 * streaming from its slot) sees are "catching up". Work that cannot move (a service down with
 * work waiting for it, unsent rows capture cannot see) is named either way.
 */
public final class Verdict {
    /** Unsent rows younger than this, which capture sees, are about to be published. */
    static final long FRESH_SECONDS = 60;
    private static final String UP_HINT = " (./pipeline up starts what is down)";

    private final String text;
    private final boolean undecided;

    private Verdict(String text, boolean undecided) {
        this.text = text;
        this.undecided = undecided;
    }

    public static String of(Snapshot before, Snapshot after) {
        return judge(before, after).text;
    }

    /**
     * True when the verdict is "stalled" only because nothing moved between the readings, with no
     * cause in sight: a later reading (against the same {@code before}) may still see movement.
     */
    public static boolean undecided(Snapshot before, Snapshot after) {
        return judge(before, after).undecided;
    }

    private static Verdict judge(Snapshot before, Snapshot after) {
        if (!after.problems().isEmpty()) {
            return new Verdict("stalled: " + String.join("; ", after.problems()), false);
        }
        long pending = after.pending();
        List<String> down = after.servicesDown();
        if (pending == 0) {
            return new Verdict(down.isEmpty() ? "in sync" : "idle: " + String.join(", ", down) + " down" + UP_HINT, false);
        }
        CaptureView capture = CaptureView.of(before, after);
        boolean moving = after.eventsEnd() > before.eventsEnd() || after.cleanEnd() > before.cleanEnd()
                || after.clickHouseRaw() > before.clickHouseRaw() || after.pending() < before.pending() || capture.publishing();
        long unsent = Math.max(after.unsent(), 0);
        String downHint = down.isEmpty() ? "" : UP_HINT;

        List<String> waiting = new ArrayList<>();
        if (unsent > 0 && !capture.blind().isEmpty()) {
            waiting.add(rows(unsent) + " capture cannot see: " + String.join("; ", capture.blind()));
        }
        if (after.down(Snapshot.PROCESSOR) && after.processorLag() > 0) {
            waiting.add(Snapshot.PROCESSOR + " down with lag " + after.processorLag());
        }
        if (after.down(Snapshot.WRITER) && after.writerLag() > 0) {
            waiting.add(Snapshot.WRITER + " down with lag " + after.writerLag());
        }
        if (!waiting.isEmpty()) {
            String what = String.join("; ", waiting) + downHint;
            return new Verdict(moving ? "catching up: " + pending + " records in flight, but " + what : "stalled: " + what, false);
        }
        String alsoDown = down.isEmpty() ? "" : "; " + String.join(", ", down) + " down" + UP_HINT;
        if (moving) {
            long eta = capture.secondsFor(unsent);
            return new Verdict("catching up: " + pending + " records in flight"
                    + (unsent > 0 && eta >= 0 ? ", capture publishes the " + rows(unsent) + " in ~" + Durations.human(eta) : "") + alsoDown, false);
        }
        if (unsent > 0) {
            long age = after.backlog().oldestAgeSeconds();
            String oldest = age >= 0 ? ", the oldest " + Durations.human(age) + " old," : "";
            if (age >= 0 && age < FRESH_SECONDS) {
                return new Verdict("catching up: " + rows(unsent) + ", the oldest committed " + Durations.human(age)
                        + " ago: capture is about to publish " + (unsent == 1 ? "it" : "them") + alsoDown, false);
            }
            if (capture.updatesBlind() != null) {
                return new Verdict("stalled: " + rows(unsent) + oldest + " and capture published none: either they were set back to FALSE or"
                        + " NULL by an UPDATE, which never reaches capture (" + capture.updatesBlind() + "), or capture is stuck"
                        + " (./pipeline logs cdc-capture)" + alsoDown, true);
            }
            return new Verdict("stalled: " + rows(unsent) + " in PostgreSQL" + oldest + " and capture is not making progress"
                    + " (./pipeline logs cdc-capture)" + alsoDown, true);
        }
        String stage = after.processorLag() > 0 ? Snapshot.PROCESSOR : Snapshot.WRITER;
        long lag = after.processorLag() > 0 ? after.processorLag() : after.writerLag();
        return new Verdict("stalled: " + stage + " with lag " + lag + " is not making progress (./pipeline logs " + stage + ")" + alsoDown, true);
    }

    private static String rows(long n) {
        return String.format("%,d unsent row%s", n, n == 1 ? "" : "s");
    }
}
