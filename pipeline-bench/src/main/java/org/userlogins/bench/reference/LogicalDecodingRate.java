package org.userlogins.bench.reference;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.userlogins.bench.load.Postgres;
import org.userlogins.bench.report.BenchReport.Rate;
import org.userlogins.ops.OpsSettings;

/**
 * PostgreSQL's own limits for the bench's inserts: the insert rate of one client in 1,000-row
 * transactions, and how fast pgoutput decodes those same inserts (a temporary slot, read through
 * the SQL interface, so no network client is in the figure). The rows go in already flagged, then
 * the table is truncated: no pipeline ever sees them (the pipeline's publication filters flagged
 * rows out, so the reference decodes through a publication of its own, inserts only, no filter:
 * what pgoutput costs per insert).
 */
public final class LogicalDecodingRate {
    private LogicalDecodingRate() {
    }

    /** [insert rate, decoding rate]. */
    public static Rate[] measure(OpsSettings settings, int rows) throws Exception {
        try (Postgres slotSession = Postgres.connect(settings); Postgres writer = Postgres.connect(settings)) {
            String slot = "bench_decoding_" + ProcessHandle.current().pid();
            String publication = slot;
            slotSession.execute("DROP PUBLICATION IF EXISTS " + publication);
            slotSession.execute("CREATE PUBLICATION " + publication + " FOR TABLE user_logins WITH (publish = 'insert')");
            // Temporary: dropped with this session even if the bench dies.
            slotSession.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput', true)");
            long start = System.nanoTime();
            writer.insertInThousands(rows, true);
            Rate insert = Rate.of(rows, System.nanoTime() - start);
            start = System.nanoTime();
            try (PreparedStatement st = slotSession.connection().prepareStatement("SELECT count(*) FROM pg_logical_slot_get_binary_changes("
                    + "?, NULL, NULL, 'proto_version', '1', 'publication_names', ?)")) {
                st.setString(1, slot);
                st.setString(2, publication);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    long messages = rs.getLong(1);
                    if (messages < rows) {
                        throw new IllegalStateException("logical decoding returned " + messages + " messages for " + rows + " inserts");
                    }
                }
            }
            Rate decoding = Rate.of(rows, System.nanoTime() - start);
            slotSession.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            slotSession.execute("DROP PUBLICATION " + publication);
            writer.truncate();
            return new Rate[] {insert, decoding};
        }
    }
}
