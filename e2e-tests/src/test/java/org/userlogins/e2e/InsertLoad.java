package org.userlogins.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Inserts rows into user_logins in a background thread: single-row and batched transactions. */
final class InsertLoad implements AutoCloseable {
    private static final String INSERT = "INSERT INTO user_logins (username, event_type, event_time) "
            + "SELECT 'user' || (g % 17), (ARRAY['login','logout','purchase'])[1 + g % 3], now() AT TIME ZONE 'UTC' "
            + "FROM generate_series(1, ?) g";

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong inserted = new AtomicLong();
    private final Thread thread;
    private volatile Exception failure;

    InsertLoad(PipelineUnderTest pipeline) {
        thread = new Thread(() -> run(pipeline), "insert-load");
        thread.start();
    }

    private void run(PipelineUnderTest pipeline) {
        try (Connection db = pipeline.admin(); PreparedStatement st = db.prepareStatement(INSERT)) {
            int round = 0;
            while (running.get()) {
                int rows = round++ % 4 == 0 ? 50 : 1; // every fourth transaction is a batch
                st.setInt(1, rows);
                st.executeUpdate();
                inserted.addAndGet(rows);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    long inserted() {
        return inserted.get();
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }
}
