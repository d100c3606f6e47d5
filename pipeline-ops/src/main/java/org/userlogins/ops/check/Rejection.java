package org.userlogins.ops.check;

/** Why and where a row was rejected, from its (newest) DLQ record's dlq.reason and dlq.stage headers. */
public record Rejection(String reason, String stage) {
    @Override
    public String toString() {
        return reason + " at " + stage;
    }
}
