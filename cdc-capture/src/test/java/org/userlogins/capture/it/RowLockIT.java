package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.capture.engine.EngineState;

/**
 * An application session keeps a just-inserted row locked (SELECT ... FOR UPDATE in an open
 * transaction): capture cannot flag it, so it waits, says in /health whom it waits for, and does
 * not die, however long past its retry timeout; once the lock goes, the row is sent and flagged.
 */
class RowLockIT {
    @Test
    void shouldWaitForARowLockedByAnotherTransactionSayWhoHoldsItAndNotDie() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack();
             Connection holder = CaptureTestStack.superuser();
             Statement st = holder.createStatement()) {
            Map<String, String> env = new java.util.HashMap<>(stack.captureEnv());
            env.put("CAPTURE_RETRY_TIMEOUT", "2000"); // far shorter than the lock: a deadline here would end capture
            // A first run makes the slot: creating one waits for every open transaction, the lock's included.
            try (InProcessCapture first = new InProcessCapture(env)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> first.service.state().phase() == EngineState.Phase.RUNNING);
            }
            CaptureTestStack.sql("INSERT INTO user_logins (username, event_type, event_time) VALUES ('locked', 'login', now())");
            st.execute("SET application_name = 'row-lock-it'");
            holder.setAutoCommit(false);
            st.execute("SELECT * FROM user_logins WHERE username = 'locked' FOR UPDATE");

            try (InProcessCapture capture = new InProcessCapture(env)) {
                EngineState state = capture.service.state();
                await().atMost(Duration.ofSeconds(60)).until(() -> state.phase() == EngineState.Phase.RETRYING
                        && state.health().detail().contains("locked by another transaction"));
                assertThat(state.health().detail()).contains("held by pid", "row-lock-it");
                Thread.sleep(12_000); // the subject is time itself: six retry timeouts pass while the lock is held
                assertThat(state.phase()).as("still waiting, not failed, after 6 times its retry timeout").isEqualTo(EngineState.Phase.RETRYING);
                assertThat(CaptureTestStack.unsentRows()).isEqualTo(1);

                holder.commit(); // the application's transaction ends
                stack.awaitAllFlagged(Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(30)).until(() -> state.phase() == EngineState.Phase.RUNNING);
            }
            assertThat(stack.readAll()).extracting(CaptureTestStack::key).containsExactly("1");
        }
    }
}
