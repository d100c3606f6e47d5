package org.userlogins.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    /** The bench must measure the services as ./pipeline runs them: the same collector for each. */
    @Test
    void shouldLaunchEachServiceWithTheCollectorThePipelineScriptGivesIt() throws Exception {
        String script = Files.readString(Path.of("..", "stack", "services.sh"));

        assertThat(script).containsPattern("cdc-capture\\) echo \"" + ServiceProcess.gcFlag("cdc-capture").replace("+", "\\+") + "\"");
        assertThat(script).containsPattern("\\*\\) echo \"" + ServiceProcess.gcFlag("ch-writer").replace("+", "\\+") + "\"");
        assertThat(ServiceProcess.gcFlag("stream-processor")).isEqualTo(ServiceProcess.gcFlag("ch-writer"));
        assertThat(Files.readString(Path.of("..", "cdc-capture", "Dockerfile"))).contains("\"" + ServiceProcess.gcFlag("cdc-capture") + "\"");
    }
}
