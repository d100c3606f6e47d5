package org.userlogins.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.userlogins.stream.BrokerFixture.text;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.kit.Env;
import org.userlogins.stream.config.ProcessorSettings;

/**
 * Scale-out: two instances with one application id split the input's partitions and together
 * write each id once; partitions added to the input while events flow are taken up without a
 * stream thread dying, and an id whose copies land on an old and a new partition goes out once.
 */
class ScaleOutIT {
    private static final int IDS = 4000;

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
                            && activeTasks(first) + activeTasks(second) == 6); // 3 validating (input), 3 deduping (by id)

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

    /**
     * docs/OPERATIONS.md's scale-out step, {@code --alter --partitions 6} on the input while events flow: the
     * processor sees the new partitions within a second (metadata.max.age.ms, 5 min by default),
     * then takes them up. Copies re-sent across the change (every 10th id re-sends the one 500
     * earlier; after the feed a fresh producer re-sends ids 1..300 by key over 6 partitions and
     * 301..330 straight to the new partitions 3..5, as capture re-sends its window after a kill)
     * must be dropped wherever they land: each id exactly once in the clean topic
     * (read_committed), every partition processed, and no stream thread death.
     */
    @Test
    void shouldNeitherLoseNorDoubleAnIdWhenPartitionsAreAddedToTheInputMidStream() throws Exception {
        try (var broker = new BrokerFixture()) {
            Map<String, String> env = new HashMap<>(broker.env());
            env.put("PROCESSOR_STATE_DIR", stateDirs.resolve("grow").toString());
            env.put("KAFKA_CLIENT_METADATA_MAX_AGE_MS", "1000");
            ProcessorSettings settings = ProcessorSettings.fromEnv(new Env(env));
            List<Throwable> deaths = new CopyOnWriteArrayList<>();
            AtomicInteger sent = new AtomicInteger();
            try (var streams = BrokerFixture.streams(settings);
                 var producer = broker.producer(Map.of(ProducerConfig.METADATA_MAX_AGE_CONFIG, 1000))) {
                streams.setUncaughtExceptionHandler(e -> {
                    deaths.add(e);
                    return StreamThreadExceptionResponse.REPLACE_THREAD;
                });
                streams.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> isRunningWithActiveTasks(streams));
                // The feed holds at id 1,200 while the input grows, and resumes once its producer knows
                // the 6 partitions: the rest (2,800 ids) then lands on all of them, at any machine speed.
                CountDownLatch grown = new CountDownLatch(1);
                Thread feeder = new Thread(() -> BrokerFixture.feedWithCopies(producer, broker.input, IDS, 500, sent, 1200, grown), "feeder");
                feeder.setDaemon(true); // never keeps the JVM alive after a failed test
                feeder.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> sent.get() == 1200);
                broker.growInput(6);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> producer.partitionsFor(broker.input).size() == 6);
                grown.countDown();
                feeder.join(Duration.ofSeconds(180).toMillis());
                assertThat(feeder.isAlive()).as("the feed finished").isFalse();

                try (var resender = broker.producer()) { // a new producer: it knows the 6 partitions from its first send
                    for (int id = 1; id <= 300; id++) {
                        resender.send(StreamProcessorIT.event(broker.input, id));
                    }
                    for (int id = 301; id <= 330; id++) {
                        var record = StreamProcessorIT.event(broker.input, id);
                        resender.send(new ProducerRecord<>(broker.input, 3 + id % 3, record.key(), record.value()));
                    }
                    resender.flush();
                }
                for (int p = 3; p < 6; p++) {
                    assertThat(broker.endOffset(broker.input, p)).as("records on new partition %d", p).isGreaterThan(100);
                }

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> !deaths.isEmpty() || broker.inputFullyCommitted());
                assertThat(deaths).as("stream thread deaths (first: %s)", deaths.isEmpty() ? "" : deaths.get(0)).isEmpty();
            }

            List<String> cleanKeys = broker.readCommitted(broker.clean).stream().map(r -> text(r.key())).toList();
            assertThat(cleanKeys).hasSize(IDS)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, IDS).mapToObj(Integer::toString).toList());
        }
    }

    /** ~2,000 ids/s, keyed by id; every 10th id also re-sends the one 500 earlier. */
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
