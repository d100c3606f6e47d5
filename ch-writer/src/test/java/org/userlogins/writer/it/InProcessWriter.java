package org.userlogins.writer.it;

import java.util.Map;
import org.userlogins.writer.WriterApp;
import org.userlogins.writer.config.WriterSettings;

/** A writer running on a thread of the test JVM; close() stops it like SIGTERM does. */
final class InProcessWriter implements AutoCloseable {
    private final WriterApp app;
    private final Thread thread;
    private volatile Throwable failure;

    InProcessWriter(Map<String, String> env) {
        app = new WriterApp(WriterSettings.fromEnv(env));
        thread = new Thread(() -> {
            try {
                app.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, "writer-under-test");
        thread.start();
    }

    Throwable failure() {
        return failure;
    }

    boolean running() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        app.stop();
        thread.join(30_000);
        app.close();
        if (thread.isAlive()) {
            throw new AssertionError("writer did not stop within 30 s");
        }
    }
}
