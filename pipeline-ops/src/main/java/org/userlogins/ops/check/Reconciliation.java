package org.userlogins.ops.check;

import java.util.List;

/** The outcome of comparing PostgreSQL's sent ids with ClickHouse's ids. */
public record Reconciliation(long postgresSent, long ignored, long clickHouseFinal, long clickHouseRaw, List<Long> missing, List<Long> extra) {
    public boolean passed() {
        return missing.isEmpty() && extra.isEmpty();
    }

    public String describe() {
        return String.format("postgres sent   %,d rows%s%n", postgresSent,
                ignored == 0 ? "" : String.format(" (%,d of them inserted already flagged, not expected in ClickHouse)", ignored))
                + String.format("clickhouse      %,d rows FINAL, %,d raw%n", clickHouseFinal, clickHouseRaw)
                + String.format("missing         %,d%s%n", missing.size(), missing.isEmpty() ? "" : "  first: " + IdDiff.ranges(missing, 10))
                + String.format("extra           %,d%s%n", extra.size(), extra.isEmpty() ? "" : "  first: " + IdDiff.ranges(extra, 10));
    }
}
