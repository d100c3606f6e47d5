package org.userlogins.ops.status;

/** The one-line judgement of `./pipeline status`, from two readings taken a moment apart. */
public final class Verdict {
    private Verdict() {
    }

    public static String of(Snapshot before, Snapshot after) {
        if (!after.problems().isEmpty()) {
            return "stalled: " + String.join("; ", after.problems());
        }
        long pending = after.pending();
        if (!after.servicesDown().isEmpty()) {
            return (pending == 0 ? "idle" : "stalled") + ": " + String.join(", ", after.servicesDown())
                    + " down (./pipeline up starts what is down)";
        }
        if (pending == 0) {
            return "in sync";
        }
        boolean moving = after.eventsEnd() > before.eventsEnd() || after.cleanEnd() > before.cleanEnd()
                || after.clickHouseRaw() > before.clickHouseRaw() || after.pending() < before.pending();
        if (moving) {
            return "catching up: " + pending + " records in flight";
        }
        return "stalled: " + stalledStage(after) + " is not making progress (./pipeline logs " + stalledService(after) + ")";
    }

    private static String stalledStage(Snapshot s) {
        if (s.backlog() > 0) {
            return s.backlog() + " unsent rows in PostgreSQL and capture";
        }
        if (s.processorLag() > 0) {
            return "stream-processor with lag " + s.processorLag();
        }
        return "ch-writer with lag " + s.writerLag();
    }

    private static String stalledService(Snapshot s) {
        if (s.backlog() > 0) {
            return "cdc-capture";
        }
        return s.processorLag() > 0 ? "stream-processor" : "ch-writer";
    }
}
