package org.userlogins.stream.validation;

import java.util.Objects;
import org.userlogins.events.DlqReason;
import org.userlogins.events.UserEvent;

/** The outcome of validating one message: the event to keep, or why it goes to the DLQ. */
public sealed interface Verdict {

    static Verdict accepted(UserEvent event) {
        return new Accepted(event);
    }

    static Verdict rejected(DlqReason reason, String detail) {
        return new Rejected(reason, detail);
    }

    /** A message that can be stored faithfully, normalized to the contract's form. */
    record Accepted(UserEvent event) implements Verdict {
        public Accepted {
            Objects.requireNonNull(event, "event");
        }
    }

    /** A message that cannot be stored faithfully; {@code detail} is for the person reading the DLQ. */
    record Rejected(DlqReason reason, String detail) implements Verdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
