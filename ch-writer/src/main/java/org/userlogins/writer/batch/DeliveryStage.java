package org.userlogins.writer.batch;

/**
 * Where a batch is on its way into ClickHouse. A flush moves it forward one stage at a time, in
 * this order only; a step that fails leaves the batch where it was, and the retry resumes there.
 * Whatever stage a crash interrupts, the restarted writer ends with each row stored once:
 * <ul>
 * <li>{@link #FORMING}: nothing is recorded; a restart re-reads the rows into any new batch;</li>
 * <li>{@link #RANGES_RECORDED}: each partition's offset range is in the group's committed
 * metadata, so the next owner of the partition re-forms exactly these rows and inserts them with
 * the same token, which ClickHouse drops if it already stored them;</li>
 * <li>{@link #STORED}: ClickHouse accepted every partition's insert (or a row went to the DLQ);</li>
 * <li>{@link #COMMITTED}: the end offsets are committed and the ranges cleared; the batch is done.</li>
 * </ul>
 */
public enum DeliveryStage {
    FORMING,
    RANGES_RECORDED,
    STORED,
    COMMITTED
}
