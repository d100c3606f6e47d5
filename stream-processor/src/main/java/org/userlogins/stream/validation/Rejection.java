package org.userlogins.stream.validation;

import org.userlogins.events.DlqReason;

/**
 * Thrown inside the validator when a field decides the message's fate; caught at its edge and
 * turned into a {@link Verdict.Rejected}. Stackless: bad data is expected, not a bug.
 */
final class Rejection extends RuntimeException {
    private final DlqReason reason;

    Rejection(DlqReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    Verdict toVerdict() {
        return Verdict.rejected(reason, getMessage());
    }
}
