package org.userlogins.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;

/**
 * {@code java -cp cdc-capture.jar org.userlogins.capture.SlotTool drop}: drops capture's replication
 * slot (CAPTURE_SLOT) so it stops retaining WAL; refuses while a capture holds it. The next capture
 * start re-snapshots the rows whose {@code sent_to_kafka} is not TRUE (snapshot.mode=when_needed).
 * Exit 0 dropped or absent, 1 active or failed, 2 bad usage/configuration.
 */
public final class SlotTool {
    private SlotTool() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || !"drop".equals(args[0])) {
            System.err.println("usage: SlotTool drop   (drops CAPTURE_SLOT; PGHOST, PGPORT, PGDATABASE, CAPTURE_PGUSER, CAPTURE_PGPASSWORD)");
            System.exit(2);
        }
        try {
            CaptureSettings s = CaptureSettings.fromEnv(Env.system());
            System.exit(drop(s));
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    public static int drop(CaptureSettings s) {
        try (Connection db = DriverManager.getConnection(s.jdbcUrl(), s.pgUser(), s.pgPassword());
             PreparedStatement find = db.prepareStatement("SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            find.setString(1, s.slotName());
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    System.out.println("slot " + s.slotName() + " does not exist; nothing to drop");
                    return 0;
                }
                if (rs.getBoolean(1)) {
                    System.err.println("error: slot " + s.slotName() + " is in use by pid " + rs.getInt(2) + ": stop cdc-capture first");
                    return 1;
                }
            }
            try (PreparedStatement drop = db.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                drop.setString(1, s.slotName());
                drop.execute();
            }
            System.out.println("dropped slot " + s.slotName() + "; the next start re-snapshots the unsent rows");
            return 0;
        } catch (SQLException e) {
            System.err.println("error: cannot drop slot " + s.slotName() + ": " + e.getMessage());
            return 1;
        }
    }
}
