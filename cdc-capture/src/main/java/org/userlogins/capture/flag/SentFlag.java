package org.userlogins.capture.flag;

import java.util.Set;

/**
 * The source table's {@code sent_to_kafka}, whose committed state decides what is sent: a row
 * whose committed flag is not TRUE (FALSE or NULL) is sent and then flagged; a row whose
 * committed flag is TRUE is not sent. One claim per batch, in a transaction held while the
 * batch goes to Kafka: {@link #claim}, send and wait for the acks, then {@link #commit}. Until
 * the commit nobody else sees the flag set, and a crash or a {@link #rollback} leaves the rows
 * unsent, so they are sent again: never skipped.
 */
public interface SentFlag extends AutoCloseable {
    /**
     * Begins a transaction and sets {@code sent_to_kafka = TRUE}, uncommitted, for those of
     * {@code ids} whose committed flag is not TRUE; returns them. Ids whose row is already TRUE,
     * or gone, are left out: they must not be sent.
     */
    Set<Long> claim(long[] ids) throws Exception;

    /** Makes the claim's flags visible; called only after Kafka acknowledged every claimed row. */
    void commit() throws Exception;

    /** Gives the claim up: the rows stay unsent. Never throws. */
    void rollback();

    @Override
    default void close() {
    }
}
