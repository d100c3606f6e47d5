package org.userlogins.ops.status;

import java.util.ArrayList;
import java.util.List;
import org.userlogins.ops.probe.PostgresProbe.Publication;
import org.userlogins.ops.probe.PostgresProbe.Slot;

/**
 * What capture can do about PostgreSQL's unsent rows, from two readings: whether it can see them
 * at all (it is up, its slot exists and streams, the publication sends the table's inserts),
 * whether it sees rows set back to FALSE or NULL (the publication sends updates), and how fast it
 * publishes.
 *
 * @param blind         why capture cannot see any unsent row; empty when it can
 * @param updatesBlind  why capture cannot see a row set back to FALSE or NULL by an UPDATE (the
 *                      publication sends no updates), or null when it can
 * @param publishing    capture published between the readings, or the backlog shrank
 * @param rowsPerSecond capture's rate between the readings (its published counter, else the backlog's shrinking); 0 when none
 */
public record CaptureView(List<String> blind, String updatesBlind, boolean publishing, double rowsPerSecond) {

    public static CaptureView of(Snapshot before, Snapshot after) {
        double seconds = Math.max(after.atMillis() - before.atMillis(), 1) / 1000.0;
        long published = before.capturePublished() >= 0 && after.capturePublished() >= before.capturePublished()
                ? after.capturePublished() - before.capturePublished() : -1;
        long shrunk = before.unsent() >= 0 && after.unsent() >= 0 ? before.unsent() - after.unsent() : 0;
        boolean publishing = published > 0 || shrunk > 0;
        double rate = published > 0 ? published / seconds : Math.max(shrunk, 0) / seconds;

        List<String> blind = new ArrayList<>();
        if (after.down(Snapshot.CAPTURE)) {
            blind.add(Snapshot.CAPTURE + " is down");
        }
        Publication pub = after.publication();
        if (pub != null) {
            if (!pub.exists()) {
                blind.add("publication " + pub.name() + " does not exist (apply postgres-init/)");
            } else if (!pub.tablePublished()) {
                blind.add("publication " + pub.name() + " does not include user_logins");
            } else if (!pub.inserts()) {
                blind.add("publication " + pub.name() + " does not publish inserts");
            }
        }
        Slot slot = after.slot();
        if (slot != null) {
            if (!slot.exists()) {
                blind.add("slot " + slot.name() + " does not exist (capture creates it at start and snapshots the unsent rows)");
            } else if ("lost".equals(slot.walStatus())) {
                blind.add("slot " + slot.name() + " lost WAL it needed (wal_status lost; ./pipeline drop-slot, then ./pipeline up re-snapshots)");
            } else if (!slot.active() && !publishing && !after.down(Snapshot.CAPTURE)) {
                blind.add("slot " + slot.name() + " is inactive (no capture streams from it)");
            }
        }
        String updatesBlind = pub != null && pub.exists() && pub.tablePublished() && pub.inserts() && !pub.updates()
                ? "publication " + pub.name() + " publishes inserts only"
                : null;
        return new CaptureView(List.copyOf(blind), updatesBlind, publishing, rate);
    }

    public boolean seesInserts() {
        return blind.isEmpty();
    }

    /** Seconds until capture has published {@code rows} at its current rate; -1 when it publishes nothing now. */
    public long secondsFor(long rows) {
        return rowsPerSecond > 0 ? (long) Math.ceil(rows / rowsPerSecond) : -1;
    }

    /** The publication in words, for the status screen. */
    public static String describe(Publication pub) {
        if (pub == null) {
            return "?";
        }
        if (!pub.exists()) {
            return pub.name() + " does not exist";
        }
        if (!pub.tablePublished()) {
            return pub.name() + " does not include user_logins";
        }
        String what = pub.inserts() && pub.updates() ? "inserts and updates" : pub.inserts() ? "inserts only" : pub.updates() ? "updates only" : "neither inserts nor updates";
        return pub.name() + ": " + what + (pub.rowFilter() == null ? ", no row filter" : ", row filter " + pub.rowFilter());
    }
}
