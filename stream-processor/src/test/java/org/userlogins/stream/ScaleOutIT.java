package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.userlogins.stream.BrokerFixture.text;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.kit.Env;
import org.userlogins.stream.config.ProcessorSettings;

/** Two instances with one application id split the input's partitions and together write each id once. */
class ScaleOutIT {
    @TempDir
    Path stateDirs;

    @Test
    void shouldShareThePartitionsBetweenTwoInstancesAndWriteEachIdOnce() throws Exception {
        try (var broker = new BrokerFixture();
             var first = instance(broker, "a");
             var second = instance(broker, "b");
             var producer = broker.producer()) {
            first.start();
            second.start();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> isRunningWithActiveTasks(first) && isRunningWithActiveTasks(second)
                            && activeTasks(first) + activeTasks(second) == 3);

            for (int id = 1; id <= 400; id++) {
                producer.send(StreamProcessorIT.event(broker.input, id));
                if (id % 4 == 0) {
                    producer.send(StreamProcessorIT.event(broker.input, id - 1));
                }
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(broker::inputFullyCommitted);

            List<String> cleanKeys = broker.readCommitted(broker.clean).stream().map(r -> text(r.key())).toList();
            assertThat(cleanKeys)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 400).mapToObj(Integer::toString).toList());
        }
    }

    private KafkaStreams instance(BrokerFixture broker, String name) {
        Map<String, String> env = new HashMap<>(broker.env());
        env.put("PROCESSOR_STATE_DIR", stateDirs.resolve(name).toString());
        ProcessorSettings settings = ProcessorSettings.fromEnv(new Env(env));
        return BrokerFixture.streams(settings);
    }

    private static boolean isRunningWithActiveTasks(KafkaStreams streams) {
        return streams.state() == KafkaStreams.State.RUNNING && activeTasks(streams) > 0;
    }

    private static int activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }
}
