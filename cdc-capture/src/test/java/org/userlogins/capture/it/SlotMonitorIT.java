package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.capture.ops.CaptureMetrics;
import org.userlogins.capture.ops.SlotMonitor;
import org.userlogins.kit.Env;

/** The slot gauges read lag and retained WAL as the capture role; the backlog is counted once. */
class SlotMonitorIT {
    @Test
    void shouldReadLagAndRetainedWalOfTheSlotAndCountTheBacklog() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            CaptureSettings s = CaptureSettings.fromEnv(new Env(stack.captureEnv()));
            CaptureMetrics metrics = new CaptureMetrics(new SimpleMeterRegistry());
            try (SlotMonitor monitor = new SlotMonitor(s.jdbcUrl(), s.pgUser(), s.pgPassword(), s.slotName(), 1, metrics)) {
                monitor.check();
                assertThat(metrics.retainedWalBytes.get()).as("no slot yet: unknown").isEqualTo(-1);

                CaptureTestStack.sql("SELECT pg_create_logical_replication_slot('" + stack.slot + "', 'pgoutput')");
                CaptureTestStack.sql("INSERT INTO user_logins (username) SELECT 'm' || g FROM generate_series(1, 300) g");
                CaptureTestStack.sql("INSERT INTO user_logins (username, sent_to_kafka) VALUES ('already', TRUE)");
                monitor.check();

                assertThat(metrics.replicationLagBytes.get()).isPositive();
                assertThat(metrics.retainedWalBytes.get()).isGreaterThanOrEqualTo(metrics.replicationLagBytes.get());
                assertThat(monitor.countBacklog(s.table())).isEqualTo(300);
            }
        }
    }
}
