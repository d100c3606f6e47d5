package org.userlogins.ops.status;

/** A counter's value in a Prometheus text exposition (capture's /metrics). */
final class CaptureCounter {
    static final String PUBLISHED = "capture_events_published_total";

    private CaptureCounter() {
    }

    /** The value of the first sample named {@code name} ("name value" or "name{labels} value"), -1 when absent or unreadable. */
    static long value(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) {
                continue;
            }
            String rest = line.substring(name.length());
            if (rest.startsWith("{")) {
                int close = rest.lastIndexOf('}');
                rest = close < 0 ? "" : rest.substring(close + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric whose name starts with this one
            }
            String[] fields = rest.trim().split("\\s+");
            try {
                return (long) Double.parseDouble(fields[0]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
