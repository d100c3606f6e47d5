package org.userlogins.capture.flag;

/** Records in the source table that rows reached Kafka ({@code sent_to_kafka = TRUE}). */
public interface SentFlag extends AutoCloseable {
    /** Sets the flag for these ids in one statement; called only after Kafka acknowledged them. */
    void markSent(long[] ids) throws Exception;

    @Override
    default void close() {
    }
}
