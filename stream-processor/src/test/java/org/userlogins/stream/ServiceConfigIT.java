package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.userlogins.stream.topology.StreamTopology;

/** The service jar refuses a bad configuration at start, naming the variable, with exit status 2. */
class ServiceConfigIT {

    @Test
    void shouldExitWithStatus2NamingTheVariableWhenTheConfigurationIsInvalid() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", new File("target/stream-processor.jar").getAbsolutePath());
        builder.environment().put("PROCESSOR_DEDUPE_RETENTION", "a week");
        Process process = builder.start();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stderr).startsWith("error: PROCESSOR_DEDUPE_RETENTION=a week");
    }

    /**
     * The dedupe's partition count cannot change for the life of the application (its store is
     * placed by it): against an existing changelog of 3 partitions, 6 is refused at start, saying
     * what to set, instead of a stream thread dying in a loop.
     */
    @Test
    void shouldRefuseToStartWhenTheDedupePartitionsDifferFromTheExistingChangelogs() throws Exception {
        try (var broker = new BrokerFixture()) {
            broker.createTopic(StreamTopology.changelogTopic(broker.applicationId), 3);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", new File("target/stream-processor.jar").getAbsolutePath());
            builder.environment().putAll(broker.env());
            builder.environment().put("PROCESSOR_DEDUPE_PARTITIONS", "6");
            Process process = builder.start();

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(stderr).startsWith("error: PROCESSOR_DEDUPE_PARTITIONS=6 but the existing "
                    + StreamTopology.changelogTopic(broker.applicationId) + " has 3 partitions")
                    .contains("Set PROCESSOR_DEDUPE_PARTITIONS=3");
        }
    }
}
