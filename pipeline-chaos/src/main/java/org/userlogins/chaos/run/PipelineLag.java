package org.userlogins.chaos.run;

import java.util.OptionalLong;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.ops.probe.PostgresProbe;

/**
 * Rows in flight between PostgreSQL and ClickHouse: PostgreSQL's backlog (sent_to_kafka not TRUE)
 * plus the stream processor's lag (events and repartition topics) plus the writer's lag on the clean topic.
 * Empty while a stage cannot be read (a server is down).
 */
final class PipelineLag implements AutoCloseable {
    private final OpsSettings settings;
    private KafkaProbe kafka;

    PipelineLag(OpsSettings settings) {
        this.settings = settings;
    }

    OptionalLong pending() {
        long backlog;
        try (PostgresProbe pg = new PostgresProbe(settings)) {
            backlog = pg.backlog();
        } catch (Exception e) {
            return OptionalLong.empty();
        }
        try {
            if (kafka == null) {
                kafka = new KafkaProbe(settings);
            }
            return OptionalLong.of(backlog + kafka.processorLag(settings)
                    + kafka.lag(settings.writerGroup(), settings.cleanTopic()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            close();
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}
