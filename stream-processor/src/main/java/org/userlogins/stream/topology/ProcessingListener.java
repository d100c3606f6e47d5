package org.userlogins.stream.topology;

import org.userlogins.events.DlqReason;

/**
 * What the topology reports per record, so that metrics stay outside the pure topology.
 * Called on stream threads: implementations must be thread-safe and cheap.
 */
public interface ProcessingListener {
    ProcessingListener NONE = new ProcessingListener() {
    };

    /** A valid first copy went to the clean topic. */
    default void accepted() {
    }

    /** A message went to the DLQ. */
    default void rejected(DlqReason reason) {
    }

    /** A valid copy of an id already seen within the retention was dropped. */
    default void duplicate() {
    }
}
