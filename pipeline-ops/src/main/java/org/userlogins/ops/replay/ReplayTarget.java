package org.userlogins.ops.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where to move the group: to the start of each partition, or to the first record at or after a
 * time. Parsed from the replay tool's arguments (pure).
 *
 * @param at null for earliest
 */
public record ReplayTarget(Instant at, boolean dryRun) {
    public static final String USAGE = "usage: ReplayTool (--to-earliest | --to-datetime 2026-11-28T10:00:00Z | --by-duration P1DT2H) [--dry-run]";

    public static ReplayTarget parse(String[] args, Instant now) {
        Instant at = null;
        boolean chosen = false;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--dry-run" -> dryRun = true;
                case "--to-earliest" -> {
                    requireOne(chosen);
                    chosen = true;
                }
                case "--to-datetime", "--by-duration" -> {
                    requireOne(chosen);
                    chosen = true;
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value; " + USAGE);
                    }
                    at = arg.equals("--to-datetime") ? instant(args[++i]) : now.minus(duration(args[++i]));
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg + "; " + USAGE);
            }
        }
        if (!chosen) {
            throw new IllegalArgumentException(USAGE);
        }
        return new ReplayTarget(at, dryRun);
    }

    public String describe() {
        return at == null ? "earliest" : at.toString();
    }

    private static void requireOne(boolean chosen) {
        if (chosen) {
            throw new IllegalArgumentException("give exactly one of --to-earliest, --to-datetime, --by-duration; " + USAGE);
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(value + " is not a UTC time like 2026-11-28T10:00:00Z");
        }
    }

    private static Duration duration(String value) {
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(value + " must be a positive duration like P1DT2H");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(value + " is not an ISO-8601 duration like P1DT2H or PT30M");
        }
    }
}
