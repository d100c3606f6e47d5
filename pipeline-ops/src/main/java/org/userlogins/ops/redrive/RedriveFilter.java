package org.userlogins.ops.redrive;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Which DLQ records to re-drive, from the command line: {@code --reason R} (a {@code dlq.reason}
 * code), {@code --since T} (ISO-8601 instant: records dead-lettered at or after it), {@code --dry-run}.
 */
public record RedriveFilter(String reason, Instant since, boolean dryRun) {
    public static RedriveFilter parse(String[] args) {
        String reason = null;
        Instant since = null;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reason" -> reason = value(args, ++i, "--reason");
                case "--since" -> {
                    String text = value(args, ++i, "--since");
                    try {
                        since = Instant.parse(text);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("--since " + text + " is not an ISO-8601 instant such as 2026-11-28T10:00:00Z");
                    }
                }
                case "--dry-run" -> dryRun = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: redrive [--reason R] [--since 2026-11-28T10:00:00Z] [--dry-run]");
            }
        }
        return new RedriveFilter(reason, since, dryRun);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    boolean matches(DeadLetter letter) {
        return (reason == null || reason.equals(letter.reason()))
                && (since == null || !letter.time().isBefore(since));
    }

    String describe() {
        return (reason == null ? "every reason" : "reason " + reason) + (since == null ? "" : ", since " + since);
    }
}
