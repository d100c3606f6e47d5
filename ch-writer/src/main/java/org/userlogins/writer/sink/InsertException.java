package org.userlogins.writer.sink;

import java.util.OptionalInt;

/** A failed insert, classified so the writer knows whether to retry, single out bad rows, or stop. */
public final class InsertException extends Exception {
    /** What the failure means for the batch. */
    public enum Kind {
        /** Network, timeout, overload, server down: retry the same batch with the same token. */
        TRANSIENT,
        /** The server rejected the content of some row: find it, send it to the DLQ, insert the rest. */
        DATA,
        /** Wrong credentials, missing table, a bug: retrying cannot help; stop loudly. */
        FATAL
    }

    private final Kind kind;
    private final int rejectedRow;

    public InsertException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, 0);
    }

    /** {@code rejectedRow}: the row the server named as refused, 1-based in the insert's order; 0 for none. */
    public InsertException(Kind kind, String message, Throwable cause, int rejectedRow) {
        super(message, cause);
        this.kind = kind;
        this.rejectedRow = rejectedRow;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * For a {@link Kind#DATA} failure, the row ClickHouse named as breaking a CHECK constraint
     * ("is violated at row N": 1-based, in the order the insert sent its rows); empty when the
     * server named none (other content errors do not).
     */
    public OptionalInt rejectedRow() {
        return rejectedRow > 0 ? OptionalInt.of(rejectedRow) : OptionalInt.empty();
    }
}
