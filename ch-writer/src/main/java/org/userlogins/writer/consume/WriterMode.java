package org.userlogins.writer.consume;

/**
 * What the writer's thread is doing. Each mode is a small unit ({@link Batching}, {@link Recovering},
 * {@link Retrying}) whose {@code step} does one poll and returns the mode to be in next; a rebalance
 * ({@link Rebalance}) happens inside a poll in any mode and only changes the state they share.
 *
 * <pre>
 * BATCHING   -> RETRYING    a flush failed transiently (by the size/time rule, or at a revoke during the poll)
 * BATCHING   -> RECOVERING  a partition with a recorded range was assigned during the poll
 * RECOVERING -> BATCHING    every range read in full and the batch stored; or the ranges revoked, lost or given up
 * RECOVERING -> RETRYING    every range read in full and the flush failed transiently
 * RETRYING   -> BATCHING    the same batch stored, no range left to read
 * RETRYING   -> RECOVERING  the same batch stored, a range assigned during the wait still to read
 * any        -> (stop)      a FATAL insert error: thrown, the service exits with the range still recorded
 * </pre>
 */
enum WriterMode {
    /** Normal work: poll, add to the batch, flush by the size, bytes or time rule. */
    BATCHING,
    /** Re-reading ranges recorded by a previous owner: other partitions wait, nothing flushes until each range is whole. */
    RECOVERING,
    /** ClickHouse failed transiently: every partition paused, the same batch tried again after a backoff. */
    RETRYING
}
