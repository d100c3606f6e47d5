package org.userlogins.chaos.run;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.userlogins.ops.OpsSettings;

/**
 * What operators do to the source table under load: change event_time's type with ALTER TABLE
 * (timestamp and timestamptz, back and forth: capture converts each by its schema), and set
 * sent_to_kafka back to FALSE on rows already sent (the seed's way to ask for a re-send).
 */
final class SourceTableFaults {
    private final OpsSettings settings;
    private String typeBefore;
    private long resetRows;

    SourceTableFaults(OpsSettings settings) {
        this.settings = settings;
    }

    /** timestamp becomes timestamptz(3) (read as UTC), timestamptz becomes timestamp(3); returns a note for the report. */
    String changeEventTimeType() throws SQLException {
        try (Connection db = connect(); Statement st = db.createStatement()) {
            typeBefore = single(st, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = 'user_logins'::regclass AND attname = 'event_time'");
            // format_type: "timestamp without time zone", "timestamp(3) with time zone", ...
            String to = typeBefore.endsWith(" with time zone") ? "timestamp(3)" : "timestamptz(3)";
            st.execute("ALTER TABLE user_logins ALTER COLUMN event_time TYPE " + to + " USING event_time AT TIME ZONE 'UTC'");
            return "event_time " + typeBefore + " -> " + to;
        }
    }

    /** Puts event_time's type back as it was before {@link #changeEventTimeType}. */
    String restoreEventTimeType() throws SQLException {
        if (typeBefore == null) {
            return "";
        }
        try (Connection db = connect(); Statement st = db.createStatement()) {
            st.execute("ALTER TABLE user_logins ALTER COLUMN event_time TYPE " + typeBefore + " USING event_time AT TIME ZONE 'UTC'");
            return "restored " + typeBefore;
        } finally {
            typeBefore = null;
        }
    }

    /** Sets the flag back to FALSE on up to {@code rows} sent rows of this run; returns how many. */
    long resetFlags(String prefix, int rows) throws SQLException {
        try (Connection db = connect(); Statement st = db.createStatement()) {
            long reset = st.executeUpdate("UPDATE user_logins SET sent_to_kafka = FALSE WHERE id IN (SELECT id FROM user_logins "
                    + "WHERE left(username, " + prefix.length() + ") = '" + prefix + "' AND sent_to_kafka ORDER BY random() LIMIT " + rows + ")");
            resetRows += reset;
            return reset;
        }
    }

    /** Rows set back to FALSE during the run: each is stored once more (raw), FINAL unchanged. */
    long resetRows() {
        return resetRows;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
