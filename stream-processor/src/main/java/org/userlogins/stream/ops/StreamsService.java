package org.userlogins.stream.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.kit.OpsServer.Health;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.config.StreamsProperties;

/**
 * The running Kafka Streams instance and its lifecycle: a dead stream thread is replaced (its
 * tasks resume from the last commit), state changes are logged, and {@link #awaitStop()} returns
 * when it is closed or has failed for good.
 */
public final class StreamsService {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ThreadDeaths deaths = new ThreadDeaths();

    public StreamsService(Topology topology, ProcessorSettings settings, ProcessorMetrics metrics) {
        streams = new KafkaStreams(topology, StreamsProperties.of(settings));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread died; replacing it (its tasks restart from the last commit)", e);
            metrics.threadReplaced();
            if (deaths.died(System.currentTimeMillis(), e)) {
                metrics.kafkaUnavailable();
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Health health() {
        long now = System.currentTimeMillis();
        return StreamsHealth.of(streams.state(), deaths.loop(now), deaths.waitingForKafka(now));
    }

    public void start() {
        streams.start();
    }

    /** Blocks until closed or failed; true when it failed. */
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return streams.state() == KafkaStreams.State.ERROR;
    }

    /**
     * Commits and closes within {@code timeout}, leaving the group: without static membership a
     * restarted instance is a new member, and the others would otherwise wait out the session
     * timeout for this one before taking over its partitions.
     */
    public boolean close(Duration timeout) {
        boolean closed = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        LOG.info(closed ? "Kafka Streams closed" : "Kafka Streams did not close within {}", timeout);
        return closed;
    }
}
