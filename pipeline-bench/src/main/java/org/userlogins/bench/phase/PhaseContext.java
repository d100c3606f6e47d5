package org.userlogins.bench.phase;

import java.time.Duration;
import java.util.List;
import org.userlogins.bench.config.BenchSettings;
import org.userlogins.bench.load.Postgres;
import org.userlogins.bench.measure.Delivery;
import org.userlogins.bench.measure.Progress;
import org.userlogins.bench.measure.ResourceSampler.Watched;
import org.userlogins.ops.OpsSettings;

/**
 * What every phase works with: the bench's settings, database, delivery checks and progress line,
 * and the servers' processes (for their CPU per row).
 */
public record PhaseContext(BenchSettings settings, OpsSettings ops, Postgres pg, Delivery delivery, Progress progress,
                           List<Watched> servers) {
    public Duration timeout() {
        return settings.stallTimeout();
    }

    static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
