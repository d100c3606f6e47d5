package org.userlogins.ops.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ids that PostgreSQL shows as sent but no pipeline sent: rows inserted with sent_to_kafka = TRUE
 * (the demo writes some on purpose). The table cannot tell them apart, so whoever inserts them
 * records their ranges ("first-last" per line) and check leaves them out of "missing". Should one
 * of them reach ClickHouse, it is reported as extra: capture must never send such a row.
 */
public record IgnoredIds(List<long[]> ranges) {
    public static IgnoredIds none() {
        return new IgnoredIds(List.of());
    }

    public static IgnoredIds read(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return none();
        }
        List<long[]> ranges = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split("-");
            if (parts.length == 2) {
                ranges.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
            }
        }
        return new IgnoredIds(ranges);
    }

    public static void append(Path file, long first, long last) throws IOException {
        Files.writeString(file, first + "-" + last + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    public boolean contains(long id) {
        return ranges.stream().anyMatch(r -> id >= r[0] && id <= r[1]);
    }

    public long count() {
        return ranges.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
    }
}
