package org.userlogins.capture.flag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /** True while another transaction holds the row's lock (SKIP LOCKED then returns nothing). */
    private static boolean lockedByAnotherSession(long id) throws SQLException {
        try (Connection db = superuser(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM user_logins WHERE id = " + id + " FOR UPDATE SKIP LOCKED")) {
            return !rs.next();
        }
    }

    @Test
    void shouldClaimARowThatBecomesVisibleOnlyAfterTheUpdateFirstRan() throws Exception {
        try (Connection writer = superuser(); Statement st = writer.createStatement(); JdbcSentFlag flag = flag(Duration.ofSeconds(120))) {
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
            // The commit must come after the claim's first UPDATE, the race under test: that UPDATE
            // locks the visible row, which another session sees, however slow the machine is.
            await().atMost(Duration.ofSeconds(60)).until(() -> lockedByAnotherSession(visible));
            assertThat(claiming).as("still waiting for the invisible row").isNotCompleted();
            writer.commit();
            assertThat(claiming.get(60, TimeUnit.SECONDS)).containsExactlyInAnyOrder(visible, late);
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
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("gave up on the deleted row only after the visibility wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    /** ids near 2^31 get `ALTER COLUMN id TYPE bigint`; the flag's prepared statements must survive it. */
    @Test
    void shouldGoOnClaimingAfterTheIdColumnIsWidenedToBigint() throws Exception {
        String table = "flag_it_widened_" + System.nanoTime();
        try (Connection db = superuser(); Statement st = db.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, sent_to_kafka boolean)");
            st.execute("GRANT SELECT, UPDATE ON " + table + " TO " + env("CAPTURE_PGUSER", "cdc_capture"));
            try (JdbcSentFlag flag = new JdbcSentFlag(URL, env("CAPTURE_PGUSER", "cdc_capture"), env("CAPTURE_PGPASSWORD", ""),
                    "public." + table, Duration.ofSeconds(5))) {
                for (int id = 1; id <= 8; id++) { // past the driver's prepareThreshold (5): prepared on the server
                    st.execute("INSERT INTO " + table + " VALUES (" + id + ", FALSE)");
                    assertThat(flag.claim(new long[] {id})).containsExactly((long) id);
                    flag.commit();
                }
                st.execute("ALTER TABLE " + table + " ALTER COLUMN id TYPE bigint");
                st.execute("INSERT INTO " + table + " VALUES (3000000000, FALSE)");

                assertThat(flag.claim(new long[] {3_000_000_000L})).containsExactly(3_000_000_000L);
                flag.commit();
            } finally {
                st.execute("DROP TABLE " + table);
            }
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
