package org.userlogins.writer.sink;

/** A failed insert, classified so the writer knows whether to retry, bisect, or stop. */
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

    public InsertException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
