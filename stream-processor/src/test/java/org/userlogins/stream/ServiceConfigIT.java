package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.launch.ServiceProcess;
import org.userlogins.stream.topology.StreamTopology;

/** The service jar refuses a bad configuration at start, naming the variable, with exit status 2. */
class ServiceConfigIT {

    @Test
    void shouldExitWithStatus2NamingTheVariableWhenTheConfigurationIsInvalid() throws Exception {
        ServiceProcess process = ProcessorProcess.run("service-config-retention", Map.of("PROCESSOR_DEDUPE_RETENTION", "a week"),
                Duration.ofSeconds(30));

        assertThat(process.exitCode()).isEqualTo(2);
        assertThat(stderr(process)).startsWith("error: PROCESSOR_DEDUPE_RETENTION=a week");
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
            Map<String, String> env = new HashMap<>(broker.env());
            env.put("PROCESSOR_DEDUPE_PARTITIONS", "6");
            ServiceProcess process = ProcessorProcess.run("service-config-partitions-" + broker.suffix, env, Duration.ofSeconds(60));

            assertThat(process.exitCode()).isEqualTo(2);
            assertThat(stderr(process)).startsWith("error: PROCESSOR_DEDUPE_PARTITIONS=6 but the existing "
                    + StreamTopology.changelogTopic(broker.applicationId) + " has 3 partitions")
                    .contains("Set PROCESSOR_DEDUPE_PARTITIONS=3");
        }
    }

    /**
     * What the service wrote to stderr: the launcher merges both streams into one log, and the
     * service's only stderr is its "error: " line at exit (its log lines, on stdout, come before it).
     */
    private static String stderr(ServiceProcess process) throws IOException {
        String output = process.output();
        int error = output.startsWith("error: ") ? 0 : output.indexOf("\nerror: ");
        assertThat(error).as("an \"error: \" line in the output of " + process + " (log " + process.logFile() + "):\n" + output)
                .isNotNegative();
        return output.substring(error == 0 ? 0 : error + 1);
    }
}
