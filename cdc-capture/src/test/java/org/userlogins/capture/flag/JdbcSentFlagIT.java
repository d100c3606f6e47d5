package org.userlogins.capture.flag;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The flag's claim against the real table: committed state decides, rows not visible yet, rollback. */
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

    private static long insert(Statement st, Boolean sent) throws SQLException {
        try (ResultSet rs = st.executeQuery("INSERT INTO user_logins (username, sent_to_kafka) VALUES ('flag-it', " + sent + ") RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The committed flag, as another session sees it: "true", "false" or "null". */
    private static String flag(long id) throws SQLException {
        try (Connection db = superuser(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT sent_to_kafka FROM user_logins WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            return String.valueOf((Boolean) rs.getObject(1));
        }
    }

    @Test
    void shouldClaimARowThatBecomesVisibleOnlyAfterTheUpdateFirstRan() throws Exception {
        try (Connection writer = superuser(); Statement st = writer.createStatement(); JdbcSentFlag flag = flag(Duration.ofSeconds(30))) {
            long visible = insert(st, false);
            writer.setAutoCommit(false);
            long late = insert(st, false); // not committed yet: invisible to the flag's session

            CompletableFuture<Set<Long>> claiming = CompletableFuture.supplyAsync(() -> {
                try {
                    return flag.claim(new long[] {visible, late});
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(claiming).as("still waiting for the invisible row").isNotCompleted();
            Thread.sleep(300); // the commit must come after the first UPDATE: that is the race under test
            writer.commit();
            assertThat(claiming.get(10, TimeUnit.SECONDS)).containsExactlyInAnyOrder(visible, late);
            flag.commit();

            assertThat(flag(visible)).isEqualTo("true");
            assertThat(flag(late)).isEqualTo("true");
        }
    }

    @Test
    void shouldClaimFalseAndNullButNotRowsCommittedTrueAndGiveUpOnRowsThatWereDeleted() throws Exception {
        try (Connection db = superuser(); Statement st = db.createStatement(); JdbcSentFlag flag = flag(Duration.ofMillis(500))) {
            long unsent = insert(st, false);
            long nullFlag = insert(st, null);
            long already = insert(st, true);
            long deleted = insert(st, false);
            st.execute("DELETE FROM user_logins WHERE id = " + deleted);

            long started = System.nanoTime();
            assertThat(flag.claim(new long[] {unsent, nullFlag, already, deleted})).containsExactlyInAnyOrder(unsent, nullFlag);
            flag.commit();

            assertThat(flag(unsent)).isEqualTo("true");
            assertThat(flag(nullFlag)).isEqualTo("true");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldShowNothingUntilCommitAndLeaveTheRowsUnsentOnRollback() throws Exception {
        try (Connection db = superuser(); Statement st = db.createStatement(); JdbcSentFlag flag = flag(Duration.ofSeconds(5))) {
            long id = insert(st, false);

            assertThat(flag.claim(new long[] {id})).containsExactly(id);
            assertThat(flag(id)).as("claimed, not committed").isEqualTo("false");
            flag.rollback();
            assertThat(flag(id)).isEqualTo("false");

            assertThat(flag.claim(new long[] {id})).as("claimable again after the rollback").containsExactly(id);
            flag.commit();
            assertThat(flag(id)).isEqualTo("true");
        }
    }
}
