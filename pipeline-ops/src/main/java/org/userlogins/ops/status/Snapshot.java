package org.userlogins.ops.status;

import java.util.List;

/**
 * One reading of every stage. Counts are -1 where the stage could not be read (with the reason
 * in {@code problems}).
 */
public record Snapshot(
        List<String> servicesDown,
        long backlog,
        long slotLagBytes,
        long eventsEnd,
        long cleanEnd,
        long dlqSize,
        long processorLag,
        long writerLag,
        long clickHouseFinal,
        long clickHouseRaw,
        List<String> problems) {

    /** Records somewhere between PostgreSQL and ClickHouse. */
    long pending() {
        return Math.max(backlog, 0) + Math.max(processorLag, 0) + Math.max(writerLag, 0);
    }
}
