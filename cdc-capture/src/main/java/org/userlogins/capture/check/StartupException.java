package org.userlogins.capture.check;

/** A server capture needs is unreachable at start: maybe transient, so exit 1 and let the supervisor retry. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
