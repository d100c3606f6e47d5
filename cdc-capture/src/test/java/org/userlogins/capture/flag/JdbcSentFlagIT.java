package org.userlogins.capture.flag;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The flag write-back against the real table, including rows that are not visible yet. */
class JdbcSentFlagIT {
    private static String env(String key, String defaultValue) {
        String value = System.getenv(key);
        return value == null ? defaultValue : value;
    }

    private static final String URL = "jdbc:postgresql://" + env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432") + "/"
            + env("PGDATABASE", "pipeline");

    private static Connection superuser() throws SQLException {
        return DriverManager.getConnection(URL, env("PGUSER", "postgres"), env("PGPASSWORD", ""));
    }

    private static JdbcSentFlag flag(Duration visibilityWait) {
        return new JdbcSentFlag(URL, env("CAPTURE_PGUSER", "cdc_capture"), env("CAPTURE_PGPASSWORD", ""),
                "public.user_logins", visibilityWait);
    }

    private static long insert(Statement st, boolean sent) throws SQLException {
        try (ResultSet rs = st.executeQuery("INSERT INTO user_logins (username, sent_to_kafka) VALUES ('flag-it', " + sent + ") RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean flagged(long id) throws SQLException {
        try (Connection db = superuser(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT sent_to_kafka FROM user_logins WHERE id = " + id)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    @Test
    void shouldFlagARowThatBecomesVisibleOnlyAfterTheUpdateFirstRan() throws Exception {
        try (Connection writer = superuser(); Statement st = writer.createStatement(); JdbcSentFlag flag = flag(Duration.ofSeconds(30))) {
            long visible = insert(st, false);
            writer.setAutoCommit(false);
            long late = insert(st, false); // not committed yet: invisible to the flag's session

            CompletableFuture<Void> marking = CompletableFuture.runAsync(() -> {
                try {
                    flag.markSent(new long[] {visible, late});
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(marking).as("still waiting for the invisible row").isNotCompleted();
            Thread.sleep(300); // the commit must come after the first UPDATE: that is the race under test
            writer.commit();
            marking.get(10, TimeUnit.SECONDS);

            assertThat(flagged(visible)).isTrue();
            assertThat(flagged(late)).isTrue();
        }
    }

    @Test
    void shouldAcceptRowsAlreadyFlaggedAndGiveUpOnRowsThatWereDeleted() throws Exception {
        try (Connection db = superuser(); Statement st = db.createStatement(); JdbcSentFlag flag = flag(Duration.ofMillis(500))) {
            long already = insert(st, true);
            long deleted = insert(st, false);
            st.execute("DELETE FROM user_logins WHERE id = " + deleted);

            long started = System.nanoTime();
            flag.markSent(new long[] {already, deleted});

            assertThat(flagged(already)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        }
    }
}
