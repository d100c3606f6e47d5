package org.userlogins.capture.engine;

import org.userlogins.kit.OpsServer.Health;

/**
 * What the engine is doing, as /health reports it. UP while it runs and batches (rows or
 * heartbeats) keep arriving; DOWN with the reason while retrying, after a failure, or when no
 * batch came for longer than the stall limit (heartbeats arrive even when the table is idle).
 */
public final class EngineState {
    /** The engine's lifecycle as capture sees it. */
    public enum Phase { STARTING, RUNNING, RETRYING, STOPPING, STOPPED, FAILED }

    private final long stallAfterMs;
    private volatile Phase phase = Phase.STARTING;
    private volatile String detail = "";
    private volatile long lastBatchMs = System.currentTimeMillis();

    public EngineState(long stallAfterMs) {
        this.stallAfterMs = stallAfterMs;
    }

    public void running() {
        set(Phase.RUNNING, "");
        lastBatchMs = System.currentTimeMillis();
    }

    public void batchHandled() {
        lastBatchMs = System.currentTimeMillis();
        if (phase == Phase.RETRYING || phase == Phase.STARTING) {
            set(Phase.RUNNING, "");
        }
    }

    public void retrying(String reason) {
        set(Phase.RETRYING, reason);
    }

    public void stopping() {
        set(Phase.STOPPING, "");
    }

    public void stopped() {
        if (phase != Phase.FAILED) {
            set(Phase.STOPPED, "");
        }
    }

    public void failed(String reason) {
        set(Phase.FAILED, reason);
    }

    public Phase phase() {
        return phase;
    }

    public Health health() {
        Phase p = phase;
        if (p == Phase.RUNNING) {
            long quietMs = System.currentTimeMillis() - lastBatchMs;
            // No batch and no heartbeat while not waiting on anything: the engine is stuck, a restart may help.
            return quietMs > stallAfterMs
                    ? Health.broken("STALLED", "no batch or heartbeat from the engine for " + quietMs / 1000 + "s")
                    : Health.up("RUNNING");
        }
        return switch (p) {
            case STARTING -> Health.up("STARTING");
            case FAILED -> Health.broken(p.name(), detail);
            default -> Health.down(p.name(), detail); // RETRYING: waiting for Kafka, PostgreSQL or a lock
        };
    }

    private synchronized void set(Phase next, String why) {
        phase = next;
        detail = why == null ? "" : why;
    }
}
