package org.userlogins.ops.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceJvmTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private final ServiceJvm jvm = ServiceJvm.load(ROOT);

    @Test
    void shouldLaunchWithTheDefaultsOfTheSharedFileUnlessTheEnvironmentSetsTheHeap() {
        assertThat(jvm.command("cdc-capture", Map.of()))
                .containsSubsequence("-Xmx192m", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError", "-jar")
                .last().isEqualTo(ROOT.resolve("cdc-capture/target/cdc-capture.jar").toString());
        assertThat(jvm.command("ch-writer", Map.of("WRITER_HEAP", "1g"), java.util.List.of("-Dx=1")))
                .containsSubsequence("-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Dx=1", "-jar");
        assertThat(jvm.defaultHeapMib("stream-processor")).isEqualTo(256);
    }

    /** ./pipeline, docker compose and every Java launcher must run the services alike: one file holds the flags. */
    @Test
    void shouldBeTheOnlySourceOfTheFlagsForThePipelineScriptAndTheImages() throws Exception {
        String services = Files.readString(ROOT.resolve("stack/services.sh"));
        assertThat(services).contains("service-jvm.env").doesNotContain("192m").doesNotContain("UseParallelGC").doesNotContain("UseG1GC");
        for (String service : new String[] {"cdc-capture", "stream-processor", "ch-writer"}) {
            assertThat(Files.readString(ROOT.resolve(service + "/Dockerfile"))).as("%s/Dockerfile", service)
                    .contains("\"" + jvm.gc(service) + "\"");
        }
    }
}
