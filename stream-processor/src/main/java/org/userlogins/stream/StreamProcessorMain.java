package org.userlogins.stream;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.kit.OpsServer;
import org.userlogins.stream.config.DedupePlacement;
import org.userlogins.stream.config.ProcessorSettings;
import org.userlogins.stream.ops.ProcessorMetrics;
import org.userlogins.stream.ops.StreamsService;
import org.userlogins.stream.topology.StreamTopology;

/** Wires the stream processor: config, topology, Kafka Streams, health and metrics, shutdown. */
public final class StreamProcessorMain {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorMain.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private StreamProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            run(ProcessorSettings.fromEnv(Env.system()));
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(ProcessorSettings settings) throws InterruptedException {
        LOG.info("stream-processor starting: {}", settings.describe());
        LOG.info("in-flight memory cap: {}", settings.inFlightCaps().describe());
        DedupePlacement.check(settings);
        var registry = OpsServer.newRegistry();
        settings.inFlightCaps().register(registry);
        var metrics = new ProcessorMetrics(registry);
        var service = new StreamsService(StreamTopology.build(settings, metrics), settings, metrics);
        new KafkaStreamsMetrics(service.streams()).bindTo(registry);
        var ops = OpsServer.start("0.0.0.0", settings.opsPort(), registry, service::health);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: closing Kafka Streams (at most {})", CLOSE_TIMEOUT);
            boolean closed = service.close(CLOSE_TIMEOUT);
            ops.close();
            LOG.info(closed ? "stopped cleanly" : "stopped; Kafka Streams did not finish closing");
        }, "shutdown"));
        service.start();
        if (service.awaitStop()) {
            LOG.error("Kafka Streams failed; exiting with status 1 so the supervisor restarts the service");
            System.exit(1);
        }
    }
}
