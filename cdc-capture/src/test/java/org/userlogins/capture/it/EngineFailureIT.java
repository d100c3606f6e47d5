package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.OpsServer.Health;

/** When a batch cannot be flagged (claimed), nothing is sent or marked processed, health goes DOWN with the reason, and the service exits 1. */
class EngineFailureIT {
    @Test
    void shouldGoDownAndExitNonZeroWhenTheFlagCannotBeWritten() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            // A role that may replicate and read but not set the flag (the startup checks would refuse it; the engine is started directly)
            String role = "capture_it_noflag_" + stack.suffix;
            CaptureTestStack.sql("CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'pw'");
            try {
                CaptureTestStack.sql("GRANT SELECT ON public.user_logins TO " + role);
                CaptureTestStack.sql("INSERT INTO user_logins (username) VALUES ('cannot-flag')");
                Map<String, String> env = new HashMap<>(stack.captureEnv());
                env.put("CAPTURE_PGUSER", role);
                env.put("CAPTURE_PGPASSWORD", "pw");

                InProcessCapture capture = new InProcessCapture(env);
                int exitCode = CompletableFuture.supplyAsync(() -> {
                    try {
                        return capture.service.awaitExit();
                    } catch (InterruptedException e) {
                        return -1;
                    }
                }).get(60, TimeUnit.SECONDS);
                capture.close();

                assertThat(exitCode).isEqualTo(1);
                Health health = capture.service.state().health();
                assertThat(health.up()).isFalse();
                assertThat(health.detail()).contains("permission denied");
                // The claim comes before the send: nothing went to Kafka, the row stays unsent, the next start sends it
                assertThat(stack.readAll()).isEmpty();
                assertThat(CaptureTestStack.unsentRows()).isOne();
            } finally {
                await(stack.slot);
                CaptureTestStack.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + stack.slot + "'");
                CaptureTestStack.sql("DROP OWNED BY " + role);
                CaptureTestStack.sql("DROP ROLE " + role);
            }
        }
    }

    private static void await(String slot) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                CaptureTestStack.count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND active") == 0);
    }
}
