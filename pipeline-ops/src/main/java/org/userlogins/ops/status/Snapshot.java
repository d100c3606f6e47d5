package org.userlogins.ops.status;

import java.util.List;
import org.userlogins.ops.probe.PostgresProbe.Backlog;
import org.userlogins.ops.probe.PostgresProbe.Publication;
import org.userlogins.ops.probe.PostgresProbe.Slot;

/**
 * One reading of every stage. Counts are -1 where the stage could not be read (with the reason
 * in {@code problems}); {@code backlog}, {@code slot} and {@code publication} are null when
 * PostgreSQL could not be read.
 *
 * @param atMillis          when the reading was taken (for rates)
 * @param capturePublished  capture's counter of events Kafka acknowledged (its /metrics), -1 when unknown
 */
public record Snapshot(
        long atMillis,
        List<String> servicesDown,
        Backlog backlog,
        Slot slot,
        Publication publication,
        long capturePublished,
        long eventsEnd,
        long cleanEnd,
        long dlqSize,
        long processorLag,
        long writerLag,
        long clickHouseFinal,
        long clickHouseRaw,
        List<String> problems) {

    public static final String CAPTURE = "cdc-capture";
    public static final String PROCESSOR = "stream-processor";
    public static final String WRITER = "ch-writer";

    /** Rows not flagged sent in PostgreSQL (FALSE or NULL); -1 when unknown. */
    long unsent() {
        return backlog == null ? -1 : backlog.rows();
    }

    /** Records somewhere between PostgreSQL and ClickHouse. */
    long pending() {
        return Math.max(unsent(), 0) + Math.max(processorLag, 0) + Math.max(writerLag, 0);
    }

    boolean down(String service) {
        return servicesDown.contains(service);
    }
}
