package org.userlogins.ops.slot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.userlogins.ops.OpsSettings;

/**
 * Behind {@code ./pipeline drop-slot} ({@code java -jar pipeline-ops.jar drop-slot}): drops capture's
 * replication slot (CAPTURE_SLOT) so it stops retaining WAL; refuses while a capture holds it. The
 * next capture start re-snapshots the rows whose {@code sent_to_kafka} is not TRUE
 * (snapshot.mode=when_needed). Logs in as PGUSER, who needs the REPLICATION attribute or superuser.
 * Exit 0 dropped or absent, 1 active or failed.
 */
public final class SlotTool {
    private SlotTool() {
    }

    public static int drop(OpsSettings s) {
        String slot = s.captureSlot();
        try (Connection db = DriverManager.getConnection(s.jdbcUrl(), s.jdbcProperties());
             PreparedStatement find = db.prepareStatement("SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            find.setString(1, slot);
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    System.out.println("slot " + slot + " does not exist; nothing to drop");
                    return 0;
                }
                if (rs.getBoolean(1)) {
                    System.err.println("error: slot " + slot + " is in use by pid " + rs.getInt(2) + ": stop cdc-capture first");
                    return 1;
                }
            }
            try (PreparedStatement drop = db.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                drop.setString(1, slot);
                drop.execute();
            }
            System.out.println("dropped slot " + slot + "; the next start re-snapshots the unsent rows");
            return 0;
        } catch (SQLException e) {
            System.err.println("error: cannot drop slot " + slot + ": " + e.getMessage());
            return 1;
        }
    }
}
