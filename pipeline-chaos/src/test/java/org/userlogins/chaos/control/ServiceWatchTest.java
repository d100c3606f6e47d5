package org.userlogins.chaos.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.chaos.control.ServiceWatch.SelfExit;

/** The supervisor's exit record (run/NAME.exits, as stack/supervise.sh writes it) read by the chaos run. */
class ServiceWatchTest {
    @TempDir
    Path state;

    private void record(String service, long atMs, long pid, String how, boolean complete) throws IOException {
        Files.createDirectories(state.resolve("run"));
        String line = atMs + "\t2026-11-30T10:00:00Z\t" + pid + "\t" + how + "\t12\trestart in 1 s\t-" + (complete ? "\n" : "");
        Files.writeString(state.resolve("run/" + service + ".exits"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void shouldReportExitsTheRunDidNotCauseAndIgnoreTheKillsItAnnounced() throws Exception {
        long now = System.currentTimeMillis();
        record("ch-writer", now - 60_000, 100, "exit 1", true);   // before the run: not its business
        try (ServiceWatch watch = new ServiceWatch(state, List.of("cdc-capture", "ch-writer"))) {
            record("cdc-capture", now - 1_000, 101, "exit 1", true);
            record("ch-writer", now - 500, 104, "exit 3", true);   // recorded before the kill was announced
            watch.expectDown(List.of("ch-writer"));
            record("ch-writer", System.currentTimeMillis(), 102, "signal KILL", true);   // the run's kill
            record("cdc-capture", System.currentTimeMillis(), 106, "exit 2", false);   // being written
            watch.clearExpected();

            assertThat(watch.selfExits()).extracting(SelfExit::pid).containsExactly(101L, 104L);

            Files.writeString(state.resolve("run/cdc-capture.exits"), "\n", StandardOpenOption.APPEND);
            record("ch-writer", System.currentTimeMillis(), 105, "signal KILL", true);   // after the fault: by itself
            watch.clearExpected();

            assertThat(watch.selfExits()).extracting(SelfExit::pid).containsExactly(101L, 104L, 106L, 105L);
            assertThat(watch.selfExits()).extracting(SelfExit::how).containsExactly("exit 1", "exit 3", "exit 2", "signal KILL");
            assertThat(watch.selfExits().get(0).service()).isEqualTo("cdc-capture");
        }
    }

    @Test
    void shouldCountAServiceWithoutPidFileOrSupervisorAsDeadAndUnsupervised() throws Exception {
        Files.createDirectories(state.resolve("run"));
        Files.writeString(state.resolve("run/ch-writer.pid"), Long.toString(ProcessHandle.current().pid()));
        Files.writeString(state.resolve("run/cdc-capture.pid"), "2147483647");
        Files.writeString(state.resolve("run/cdc-capture.supervisor.pid"), Long.toString(ProcessHandle.current().pid()));
        try (ServiceWatch watch = new ServiceWatch(state, List.of("cdc-capture", "stream-processor", "ch-writer"))) {
            assertThat(watch.dead()).containsExactly("cdc-capture", "stream-processor");
            assertThat(watch.unsupervised()).containsExactly("stream-processor");
        }
    }
}
