package org.userlogins.writer.ops;

import org.userlogins.kit.OpsServer.Health;

/**
 * What /health reports: UP while the loop runs and the last insert (if any) succeeded; DOWN with
 * the last error while retrying, while waiting for ClickHouse at start or for Kafka, and after stop.
 */
public final class WriterStatus {
    private volatile Health health = Health.down("starting", "connecting to ClickHouse");

    public void waitingForClickHouse(int attempt, String error) {
        health = Health.down("waiting-for-clickhouse", "attempt " + attempt + ": " + error);
    }

    public void running() {
        health = Health.up("running");
    }

    public void retrying(int attempt, String error) {
        health = Health.down("retrying", "insert attempt " + attempt + " failed: " + error);
    }

    /** Alive and waiting: Kafka did not take a commit or a DLQ record in time; the batch is tried again. */
    public void waitingForKafka(int attempt, String error) {
        health = Health.down("waiting-for-kafka", "attempt " + attempt + ": " + error);
    }

    public void stopped(String why) {
        health = Health.down("stopped", why);
    }

    public Health health() {
        return health;
    }
}
