package org.userlogins.capture.flag;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SentFlag} over JDBC as the capture role: one {@code UPDATE ... WHERE id = ANY(?) AND
 * sent_to_kafka IS NOT TRUE RETURNING id} per batch in a transaction that stays open while the
 * batch is sent. The row locks it takes keep an operator's {@code UPDATE} of the same rows
 * waiting until the claim commits or rolls back, so "committed state decides" holds at every
 * instant. A failed connection is dropped and reopened on the next call.
 *
 * <p>PostgreSQL can hand a transaction to logical decoding a moment before other sessions see
 * its rows (the commit record is flushed before the transaction leaves the proc array). On a busy
 * machine the UPDATE can run inside that moment and match none of the transaction's rows, which
 * would skip them for good. So ids neither claimed nor already flagged are tried again after a
 * short pause (read committed: each statement sees the newest commits) until they are, or until
 * {@link #VISIBILITY_WAIT} has passed and they are still absent: then they were deleted, and a
 * deleted row is not sent.
 */
public final class JdbcSentFlag implements SentFlag {
    private final String url;
    private final String user;
    private final String password;
    static final Duration VISIBILITY_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSentFlag.class);

    /** How long one claim waits for a row lock held by another session before it reports who holds it and tries again. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    private final Duration visibilityWait;
    private final String table;
    private final String claimSql;
    private final String flaggedSql;
    private Connection connection;

    public JdbcSentFlag(String url, String user, String password, String table) {
        this(url, user, password, table, VISIBILITY_WAIT);
    }

    JdbcSentFlag(String url, String user, String password, String table, Duration visibilityWait) {
        this.visibilityWait = visibilityWait;
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.claimSql = "UPDATE " + table + " SET sent_to_kafka = TRUE WHERE id = ANY(?) AND sent_to_kafka IS NOT TRUE RETURNING id";
        this.flaggedSql = "SELECT id FROM " + table + " WHERE id = ANY(?) AND sent_to_kafka IS TRUE";
    }

    @Override
    public Set<Long> claim(long[] ids) throws SQLException, InterruptedException {
        try {
            return claimOnce(ids);
        } catch (SQLException e) {
            if (!planOutdated(e)) {
                throw e;
            }
            // An ALTER of the table (id from integer to bigint, say) outdated the statements this
            // connection prepared on the server; a new connection prepares them anew.
            LOG.info("{}'s column types changed ({}); preparing the flag's statements again", table, e.getMessage());
            close();
            return claimOnce(ids);
        }
    }

    /** PostgreSQL's answer to a prepared statement whose result type an ALTER TABLE changed. */
    static boolean planOutdated(SQLException e) {
        return "0A000".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("cached plan must not change result type");
    }

    private Set<Long> claimOnce(long[] ids) throws SQLException, InterruptedException {
        try {
            Set<Long> claimed = new HashSet<>();
            Set<Long> remaining = Arrays.stream(ids).boxed().collect(Collectors.toCollection(HashSet::new));
            long deadline = System.nanoTime() + visibilityWait.toNanos();
            long pauseMs = 5;
            while (true) {
                Set<Long> now = query(claimSql, remaining);
                claimed.addAll(now);
                remaining.removeAll(now);
                if (!remaining.isEmpty()) {
                    remaining.removeAll(query(flaggedSql, remaining)); // committed TRUE: not to be sent
                }
                if (remaining.isEmpty()) {
                    return claimed;
                }
                if (System.nanoTime() > deadline) {
                    LOG.warn("{} captured rows are not in the table after {} s (deleted since?); not sent: {}",
                            remaining.size(), visibilityWait.toSeconds(), remaining.stream().sorted().limit(10).toList());
                    return claimed;
                }
                Thread.sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, 500);
            }
        } catch (SQLException e) {
            rollback();
            if ("55P03".equals(e.getSQLState())) {
                throw new RowsLocked(table, lockHolders(), e);
            }
            throw e;
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    /**
     * Other sessions that hold row locks on the table (an UPDATE, DELETE or SELECT FOR UPDATE in a
     * transaction still open): who the claim waited for. Without pg_read_all_stats PostgreSQL shows
     * a non-superuser only the pid and the user of other roles' sessions, which is enough to act on.
     */
    private String lockHolders() {
        try (PreparedStatement st = connection().prepareStatement("SELECT string_agg(DISTINCT 'pid ' || a.pid || ' (' || "
                + "coalesce(a.usename::text, '?') || coalesce(', ' || nullif(a.application_name, ''), '') || coalesce(', in a transaction for ' "
                + "|| extract(epoch FROM now() - a.xact_start)::int || ' s', '') || ')', ', ') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.relation = ?::regclass AND l.granted AND l.mode IN ('RowShareLock', 'RowExclusiveLock') AND a.pid <> pg_backend_pid()")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                String holders = rs.next() ? rs.getString(1) : null;
                connection().rollback();
                return holders == null ? "a session that has ended since" : holders;
            }
        } catch (SQLException e) {
            close();
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Rows of the claim are locked by another session's open transaction: capture waits for it, it does not fail. */
    public static final class RowsLocked extends SQLException implements org.userlogins.capture.publish.Retrier.Waiting {
        RowsLocked(String table, String holders, SQLException cause) {
            super("rows of " + table + " to flag are locked by another transaction for more than " + LOCK_WAIT.toSeconds()
                    + " s, held by " + holders + "; capture waits for it to end (commit or roll back that transaction)", "55P03", cause);
        }
    }

    @Override
    public void commit() throws SQLException {
        try {
            connection().commit();
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    @Override
    public void rollback() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                close(); // a broken connection: the server rolls the transaction back when it goes
            }
        }
    }

    private Set<Long> query(String statement, Set<Long> ids) throws SQLException {
        Connection db = connection();
        Array array = db.createArrayOf("int8", ids.toArray(Long[]::new));
        Set<Long> found = new HashSet<>();
        try (PreparedStatement st = db.prepareStatement(statement)) {
            st.setQueryTimeout(60);
            st.setArray(1, array);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        } finally {
            array.free();
        }
        return found;
    }

    public static boolean isTransient(Throwable e) {
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        // No state: the driver lost the connection. 08 connection, 40 serialization/deadlock,
        // 53 resources, 57 operator intervention or timeout, 58 system error, 55P03 lock not available.
        return state == null || state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57") || state.startsWith("58") || state.equals("55P03");
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, user, password);
            try (java.sql.Statement st = connection.createStatement()) {
                st.execute("SET lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
            }
            connection.setAutoCommit(false);
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being discarded; nothing to keep
            }
            connection = null;
        }
    }
}
