package org.userlogins.kit;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Typed reads of environment variables with defaults. Each failure is a {@link ConfigException}
 * that names the variable, the value and what would be accepted, so a service stops at start
 * with a line that says what to fix. Tests pass {@code Map.of(...)}.
 */
public final class Env {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String string(String key, String defaultValue) {
        String value = values.get(key);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** A value that may legitimately be empty (a password of a password-less user). */
    public String secret(String key, String defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : value;
    }

    public String required(String key) {
        String value = string(key, null);
        if (value == null) {
            throw new ConfigException(key + " is not set; set it in the environment (see docs/CONFIGURATION.md)");
        }
        return value;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        String raw = string(key, null);
        if (raw == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < min || value > max) {
                throw new ConfigException(key + "=" + raw + " is out of range; use a whole number from " + min + " to " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + "=" + raw + " is not a whole number; use one from " + min + " to " + max);
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String raw = string(key, null);
        if (raw == null) {
            return defaultValue;
        }
        return switch (raw.toLowerCase()) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(key + "=" + raw + " is not a boolean; use true or false");
        };
    }

    /** ISO-8601 ({@code PT5S}, {@code P7D}) or a number of milliseconds. */
    public Duration duration(String key, Duration defaultValue) {
        String raw = string(key, null);
        if (raw == null) {
            return defaultValue;
        }
        try {
            Duration value = raw.chars().allMatch(Character::isDigit)
                    ? Duration.ofMillis(Long.parseLong(raw))
                    : Duration.parse(raw);
            if (value.isNegative()) {
                throw new ConfigException(key + "=" + raw + " is negative; use a positive duration");
            }
            return value;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(key + "=" + raw + " is not a duration; use ISO-8601 (PT5S, P7D) or milliseconds");
        }
    }

    /**
     * A file the service must read (a CA certificate, a client key), or null when the variable is
     * unset: checked here so a wrong path stops the start with its name instead of failing at the
     * first TLS handshake.
     */
    public String readableFile(String key) {
        String value = string(key, null);
        if (value != null && !Files.isReadable(Path.of(value))) {
            throw new ConfigException(key + "=" + value + " is not a readable file; give the path of a file this service may read (see docs/CONFIGURATION.md, Security)");
        }
        return value;
    }

    /**
     * Every variable whose name starts with {@code prefix}, keyed by the rest of its name and
     * sorted by it; blank values count as unset, as everywhere else here. For pass-through
     * settings such as {@code KAFKA_CLIENT_*}.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && value != null && !value.isBlank()) {
                found.put(key.substring(prefix.length()), value.trim());
            }
        });
        return Collections.unmodifiableMap(found);
    }

    /** A SQL identifier (database, table, schema): validated here so it can be quoted safely later. */
    public String identifier(String key, String defaultValue) {
        String value = string(key, defaultValue);
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new ConfigException(key + "=" + value + " is not a valid identifier; use letters, digits and _ (at most 63, not starting with a digit)");
        }
        return value;
    }

    /** A Kafka topic name, checked against Kafka's own rule. */
    public String topic(String key, String defaultValue) {
        String value = string(key, defaultValue);
        if (value == null || !TOPIC.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new ConfigException(key + "=" + value + " is not a valid topic name; use letters, digits, '.', '_' and '-'");
        }
        return value;
    }
}
