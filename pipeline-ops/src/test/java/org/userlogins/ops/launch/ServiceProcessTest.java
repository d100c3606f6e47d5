package org.userlogins.ops.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher on small shell processes standing in for a service: no JVM, no server. */
class ServiceProcessTest {
    @TempDir
    Path dir;

    private ServiceProcess.Launch shell(String script) {
        return ServiceProcess.launch("svc", List.of("/bin/sh", "-c", script)).log(dir.resolve("logs/svc.log"));
    }

    @Test
    void shouldPassTheEnvironmentAndCaptureBothStreamsInTheLog() throws Exception {
        try (ServiceProcess p = shell("echo out $SVC_GREETING; echo err >&2; exit 3").env(Map.of("SVC_GREETING", "hello")).start()) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(3);
            assertThat(p.output()).contains("out hello").contains("err");
            assertThat(p.exitCode()).isEqualTo(3);
        }
    }

    @Test
    void shouldPassOnlyTheGivenVariablesWhenAskedTo() throws Exception {
        try (ServiceProcess p = ServiceProcess.launch("svc", List.of("/usr/bin/env")).env(Map.of("ONLY", "this"))
                .onlyGivenEnvironment().log(dir.resolve("env.log")).start()) {
            p.awaitExit(Duration.ofSeconds(60));
            assertThat(p.output().strip()).isEqualTo("ONLY=this");
        }
    }

    @Test
    void shouldReplaceTheLogUnlessAskedToAppend() throws Exception {
        shell("echo first").start().awaitExit(Duration.ofSeconds(60));
        try (ServiceProcess p = shell("echo second").start()) {
            p.awaitExit(Duration.ofSeconds(60));
            assertThat(p.output()).isEqualTo("second\n");
        }
        try (ServiceProcess p = shell("echo third").appendingLog().start()) {
            p.awaitExit(Duration.ofSeconds(60));
            assertThat(p.output()).isEqualTo("second\nthird\n");
        }
    }

    @Test
    void shouldExitOnSigtermWithinTheGrace() throws Exception {
        try (ServiceProcess p = shell("trap 'echo stopping; exit 143' TERM; echo trapped; while true; do sleep 0.1; done").start()) {
            awaitOutput(p, "trapped"); // the trap must be set before the signal comes
            assertThat(p.terminate(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(p.output()).contains("stopping");
        }
    }

    @Test
    void shouldKillAServiceThatIgnoresSigtermAfterTheGrace() throws Exception {
        try (ServiceProcess p = shell("trap '' TERM; echo trapped; while true; do sleep 0.1; done").start()) {
            awaitOutput(p, "trapped");
            assertThat(p.stop(Duration.ofMillis(500))).isFalse();
            assertThat(p.isAlive()).isFalse();
        }
        try (ServiceProcess p = shell("echo stubborn; trap '' TERM; echo trapped; while true; do sleep 0.1; done").start()) {
            awaitOutput(p, "trapped");
            assertThatThrownBy(() -> p.terminate(Duration.ofMillis(500))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not exit within").hasMessageContaining("stubborn");
        }
    }

    @Test
    void shouldKillWithSigkill() throws Exception {
        try (ServiceProcess p = shell("sleep 60").start()) {
            assertThat(p.kill()).isEqualTo(137);
        }
    }

    @Test
    void shouldFailWithTheLogsTailWhenTheProcessExitsBeforeItIsHealthy() throws Exception {
        try (ServiceProcess p = shell("echo 'error: BAD_SETTING is wrong'; exit 2").start()) {
            assertThatThrownBy(() -> p.awaitHealthy(freePort(), Duration.ofSeconds(60))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("svc exited with 2").hasMessageContaining("error: BAD_SETTING is wrong");
        }
    }

    @Test
    void shouldFailWhenNotHealthyInTime() throws Exception {
        try (ServiceProcess p = shell("sleep 60").start()) {
            assertThatThrownBy(() -> p.awaitHealthy(freePort(), Duration.ofMillis(300)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not healthy after");
        }
    }

    @Test
    void shouldReturnOnceHealthAnswers200() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (ServiceProcess p = shell("sleep 60").start()) {
            assertThat(p.awaitHealthy(server.getAddress().getPort(), Duration.ofSeconds(60))).isSameAs(p);
            assertThat(p.pid()).isPositive();
            assertThat(p.peakRssMib()).isNotNegative();
        } finally {
            server.stop(0);
        }
        assertThat(Files.exists(dir.resolve("logs/svc.log"))).isTrue();
    }

    private static void awaitOutput(ServiceProcess p, String line) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> p.output().contains(line));
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
