package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * Memory, through the service jar at -Xmx192m, with a backlog of a million rows and with large rows.
 * Large rows: a backlog of 300 rows of ~900 KB (~270 MB) is snapshotted, then 100 more
 * stream in, through the service jar at -Xmx192m. Debezium's own snapshot fetch (10,240 rows a
 * round trip) would hold all 300 at once; capture sizes the fetch by CAPTURE_MAX_QUEUE_BYTES.
 * Every row is published once and flagged, capture never runs out of heap, and its peak RSS stays
 * under the heap plus the JVM's own memory.
 */
class MemoryIT {
    private static final String LARGE = "repeat('z', 900000)";
    private static final int HEAP_MIB = 192;
    /** Off-heap on top of -Xmx: metaspace, thread stacks, code cache, direct buffers. */
    private static final int OVERHEAD_MIB = 250;

    /** A 1,000,000-row backlog of ordinary rows: the snapshot is bounded by the queue, not by the backlog's size. */
    @Test
    void shouldSnapshotAMillionRowBacklogWithinItsHeap() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            CaptureTestStack.sql("INSERT INTO user_logins (username, event_type, event_time) SELECT 'user' || g, 'login', "
                    + "timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(1, 1000000) g");
            long start = System.nanoTime();
            ServiceProcess capture = CaptureProcess.start(stack.captureEnv(), "memory-1m-" + stack.suffix);
            try {
                stack.awaitAllFlagged(Duration.ofSeconds(400));
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(capture.isAlive()).as("capture alive (log " + capture.logFile() + ")").isTrue();
                long peak = capture.peakRssMib();
                System.out.printf("[MemoryIT] 1,000,000-row snapshot in %.0f s (%.0f rows/s, start-up included): capture peak RSS %d MiB "
                        + "at -Xmx%dm%n", seconds, 1_000_000 / seconds, peak, HEAP_MIB);
                assertThat(peak).as("peak RSS in MiB: heap + stated overhead").isLessThan(HEAP_MIB + OVERHEAD_MIB);
            } finally {
                capture.terminate(Duration.ofSeconds(30));
            }
            assertThat(CaptureTestStack.recordCount(stack.eventsTopic)).isEqualTo(1_000_000);
        }
    }

    @Test
    void shouldSnapshotAndStreamLargeRowsWithinItsHeap() throws Exception {
        try (CaptureTestStack stack = new CaptureTestStack()) {
            CaptureTestStack.sql("INSERT INTO user_logins (username) SELECT " + LARGE + " || g FROM generate_series(1, 300) g");
            ServiceProcess capture = CaptureProcess.start(stack.captureEnv(), "memory-" + stack.suffix);
            try {
                stack.awaitAllFlagged(Duration.ofSeconds(120));
                CaptureTestStack.sql("INSERT INTO user_logins (username) SELECT " + LARGE + " || g FROM generate_series(301, 400) g");
                stack.awaitAllFlagged(Duration.ofSeconds(120));
                assertThat(capture.isAlive()).as("capture alive (log " + capture.logFile() + ")").isTrue();
                long peak = capture.peakRssMib();
                System.out.printf("[MemoryIT] 300 rows of ~900 KB snapshotted and 100 streamed: capture peak RSS %d MiB at -Xmx%dm%n",
                        peak, HEAP_MIB);
                assertThat(peak).as("peak RSS in MiB: heap + stated overhead").isLessThan(HEAP_MIB + OVERHEAD_MIB);
            } finally {
                capture.terminate(Duration.ofSeconds(30));
            }
            assertThat(capture.output()).doesNotContain("OutOfMemoryError");
            assertThat(CaptureTestStack.recordCount(stack.eventsTopic)).isEqualTo(400);
            assertThat(CaptureTestStack.recordCount(stack.dlqTopic)).isZero();
        }
    }
}
