package org.userlogins.chaos.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inserts rows at a steady rate in a background thread: single-row and batched transactions, each
 * tagged with a unique marker (the username {@code <prefix>t<n>}). It survives PostgreSQL
 * restarts: on any failure it reconnects, and when the fate of a transaction is unknown (the
 * connection broke around the commit) it reads the marker back, so {@link #committedRows()} is
 * exact. A deficit from an outage is not made up in a burst beyond one second of rows.
 */
public final class LoadGenerator implements AutoCloseable {
    private static final String INSERT = "INSERT INTO user_logins (username, event_type, event_time) "
            + "SELECT ?, (ARRAY['login','logout','purchase','registration','password_reset'])[1 + g % 5], "
            + "now() AT TIME ZONE 'UTC' FROM generate_series(1, ?) g";

    /** The load's sessions in pg_stat_activity. */
    public static final String APPLICATION_NAME = "pipeline-chaos-load";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String prefix;
    private final int rowsPerSecond;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong resolvedUnknown = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private Connection db;

    public LoadGenerator(String jdbcUrl, String user, String password, String prefix, int rowsPerSecond, long seed) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.prefix = prefix;
        this.rowsPerSecond = rowsPerSecond;
        this.thread = new Thread(() -> {
            try {
                loop(new Random(seed));
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "chaos-load");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop(Random random) {
        long started = System.nanoTime();
        long sent = 0;
        long txn = 0;
        while (running) {
            long due = (System.nanoTime() - started) / 1_000_000 * rowsPerSecond / 1000;
            sent = Math.max(sent, due - rowsPerSecond);
            if (sent >= due) {
                sleep(5);
                continue;
            }
            // Half of the transactions insert one row, the others a batch of 2 to 60.
            int rows = random.nextBoolean() ? 1 : 2 + random.nextInt(59);
            String marker = prefix + "t" + txn++;
            if (insert(marker, rows)) {
                committed.addAndGet(rows);
                transactions.incrementAndGet();
            }
            sent += rows;
        }
        closeQuietly();
    }

    /** True when the transaction committed, decided by reading the marker back if needed. */
    private boolean insert(String marker, int rows) {
        try {
            Connection c = connection();
            try (PreparedStatement st = c.prepareStatement(INSERT)) {
                st.setString(1, marker);
                st.setInt(2, rows);
                st.executeUpdate();
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            failures.incrementAndGet();
            closeQuietly();
            return resolve(marker, rows, e);
        }
    }

    private boolean resolve(String marker, int rows, SQLException cause) {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (PreparedStatement st = connection().prepareStatement("SELECT count(*) FROM user_logins WHERE username = ?")) {
                st.setString(1, marker);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    long found = rs.getLong(1);
                    connection().commit();
                    resolvedUnknown.incrementAndGet();
                    // Progress goes to stdout with the run's other lines (this is a command-line tool).
                    System.out.printf("load: transaction %s (%d rows) failed (%s); read back: %s%n", marker, rows,
                            firstLine(cause.getMessage()), found == rows ? "committed" : found == 0 ? "not committed" : "PARTIAL " + found);
                    if (found != 0 && found != rows) {
                        throw new IllegalStateException("transaction " + marker + " is partially visible: " + found + " of " + rows);
                    }
                    return found == rows;
                }
            } catch (SQLException e) {
                closeQuietly();
                sleep(500);
            }
        }
        throw new IllegalStateException("could not read back transaction " + marker + " for 10 minutes", cause);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private Connection connection() throws SQLException {
        if (db == null) {
            db = DriverManager.getConnection(jdbcUrl + "?connectTimeout=5&socketTimeout=30&ApplicationName=" + APPLICATION_NAME, user, password);
            db.setAutoCommit(false);
        }
        return db;
    }

    private void closeQuietly() {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // the connection is broken anyway
            }
            db = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long committedRows() {
        return committed.get();
    }

    public long transactions() {
        return transactions.get();
    }

    public long failedAttempts() {
        return failures.get();
    }

    /** Why the load stopped early (the counts are then still exact), or null. */
    public RuntimeException failure() {
        return failure;
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(660_000);
    }
}
