package org.userlogins.writer.batch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The {@code insert_deduplication_token} of an insert: the table, per partition the offset range of
 * the rows, and a hash of their Kafka values, e.g. {@code user_logins:p0:100-199,p1:5-80#3f2a...}.
 * The same rows always give the same token, whatever order the partitions were interleaved in (the
 * hash is a sum), so a re-sent insert whose first attempt was stored (timeout, crash before the
 * commit) is dropped by ClickHouse instead of stored twice. The hash keeps a topic recreated with
 * other data at the same offsets from colliding with an old token still in the server's window.
 */
public final class DedupToken {
    private DedupToken() {
    }

    public static String of(String table, List<Row> rows) {
        long hash = 0;
        CRC32C crc = new CRC32C();
        for (Row row : rows) {
            crc.reset();
            crc.update(row.source().value());
            hash += crc.getValue() * 31 + row.offset();
        }
        return table + ":" + ranges(rows) + "#" + Long.toHexString(hash);
    }

    /** Per partition, min-max offset of the rows, partitions in order. */
    public static String ranges(List<Row> rows) {
        Map<Integer, long[]> byPartition = new TreeMap<>();
        for (Row row : rows) {
            long[] range = byPartition.computeIfAbsent(row.partition(), p -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            range[0] = Math.min(range[0], row.offset());
            range[1] = Math.max(range[1], row.offset());
        }
        StringBuilder out = new StringBuilder();
        byPartition.forEach((partition, range) -> {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append('p').append(partition).append(':').append(range[0]).append('-').append(range[1]);
        });
        return out.toString();
    }
}
