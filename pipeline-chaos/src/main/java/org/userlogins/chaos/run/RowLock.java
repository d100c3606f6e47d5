package org.userlogins.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.userlogins.ops.OpsSettings;

/**
 * An application keeps a just-inserted row locked (SELECT ... FOR UPDATE in an open transaction)
 * for the hold: capture must wait for it, say so in /health, and neither die nor skip the row.
 * Capture is paused (SIGSTOP) for the few milliseconds between the row's commit and the lock, so
 * the lock is certainly taken before capture tries to flag the row; it is always continued.
 */
final class RowLock {
    private final OpsSettings settings;
    private final Path capturePidFile;
    private Connection holder;

    RowLock(OpsSettings settings, Path runDir) {
        this.settings = settings;
        this.capturePidFile = runDir.resolve("cdc-capture.pid");
    }

    String take(String prefix) throws SQLException, IOException, InterruptedException {
        String pid = Files.readString(capturePidFile).trim();
        signal("-STOP", pid);
        try {
            long id;
            try (Connection db = connect(); Statement st = db.createStatement();
                 var rs = st.executeQuery("INSERT INTO user_logins (username, event_type, event_time) VALUES ('" + prefix
                         + "locked', 'login', now() AT TIME ZONE 'UTC') RETURNING id")) {
                rs.next();
                id = rs.getLong(1);
            }
            holder = connect();
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT id FROM user_logins WHERE id = " + id + " FOR UPDATE");
            }
            return "row " + id + " locked by another transaction";
        } finally {
            signal("-CONT", pid);
        }
    }

    String release() throws SQLException {
        if (holder == null) {
            return "";
        }
        try {
            holder.commit();
            return "lock released";
        } finally {
            holder.close();
            holder = null;
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
    }

    private static void signal(String signal, String pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, pid).inheritIO().start().waitFor();
    }
}
