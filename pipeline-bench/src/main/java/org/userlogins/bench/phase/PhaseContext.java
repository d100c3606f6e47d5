package org.userlogins.bench.phase;

import java.time.Duration;
import org.userlogins.bench.config.BenchSettings;
import org.userlogins.bench.load.Postgres;
import org.userlogins.bench.measure.Delivery;
import org.userlogins.bench.measure.Progress;
import org.userlogins.ops.OpsSettings;

/** What every phase works with: the bench's settings, database, delivery checks and progress line. */
public record PhaseContext(BenchSettings settings, OpsSettings ops, Postgres pg, Delivery delivery, Progress progress) {
    public Duration timeout() {
        return settings.stallTimeout();
    }

    static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
