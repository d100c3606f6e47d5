package org.userlogins.ops.resend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.userlogins.ops.OpsSettings;

/**
 * Behind {@code ./pipeline resend [--where SQL] [--dry-run]} ({@code java -jar pipeline-ops.jar
 * resend ...}): sets {@code sent_to_kafka} back to FALSE on the sent rows that match, as the seed
 * teaches operators to, so capture sends them again; ClickHouse's FINAL still shows each id once.
 * The condition is the operator's own SQL (run as PGUSER, who may change the table anyway). Exit
 * codes: 0 done, 2 bad arguments, 1 the condition or the database failed.
 */
public final class ResendTool {
    private ResendTool() {
    }

    public static int run(String[] args, OpsSettings settings) {
        String where = "TRUE";
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--where" -> {
                    if (i + 1 == args.length) {
                        System.err.println("error: --where needs a SQL condition, e.g. --where 'id BETWEEN 100 AND 200'");
                        return 2;
                    }
                    where = args[++i];
                }
                case "--dry-run" -> dryRun = true;
                default -> {
                    System.err.println("error: unknown option for resend: " + args[i] + " (expected --where SQL, --dry-run)");
                    return 2;
                }
            }
        }
        String chosen = "sent_to_kafka IS TRUE AND (" + where + ")";
        String sql = dryRun ? "SELECT count(*) FROM user_logins WHERE " + chosen
                : "WITH reset AS (UPDATE user_logins SET sent_to_kafka = FALSE WHERE " + chosen + " RETURNING 1) SELECT count(*) FROM reset";
        try (Connection db = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
             Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            System.out.println(dryRun ? n + " sent rows match; nothing changed (--dry-run)"
                    : n + " rows set back to sent_to_kafka = FALSE: capture sends them again (./pipeline status shows the backlog)");
            return 0;
        } catch (SQLException e) {
            System.err.println("error: the condition failed: " + where + " (" + e.getMessage() + ")");
            return 1;
        }
    }
}
