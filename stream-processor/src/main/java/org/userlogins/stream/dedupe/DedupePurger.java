package org.userlogins.stream.dedupe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes first-seen marks older than the retention, relative to the task's stream time (the
 * same clock as the dedupe rule, so a replay of old data purges consistently). Scheduled on
 * wall-clock time; each run scans at most {@code maxScanPerRun} entries from a cursor and
 * continues there next run, so a large store never stalls processing.
 */
public final class DedupePurger implements Punctuator {
    /** How often the purge runs; the bound below keeps each run to milliseconds. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    public static final int MAX_SCAN_PER_RUN = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(DedupePurger.class);

    private final KeyValueStore<Long, FirstSeen> firstSeen;
    private final long retentionMs;
    private final LongSupplier streamTimeMs;
    private final int maxScanPerRun;
    private Long cursor;

    public DedupePurger(KeyValueStore<Long, FirstSeen> firstSeen, Duration retention, LongSupplier streamTimeMs, int maxScanPerRun) {
        this.firstSeen = firstSeen;
        this.retentionMs = retention.toMillis();
        this.streamTimeMs = streamTimeMs;
        this.maxScanPerRun = maxScanPerRun;
    }

    @Override
    public void punctuate(long wallClockMs) {
        long streamTime = streamTimeMs.getAsLong();
        if (streamTime < 0) {
            return; // no record yet: nothing can be judged old
        }
        long cutoff = streamTime - retentionMs;
        List<Long> expired = new ArrayList<>();
        int scanned = 0;
        Long next = null;
        // Collect first, delete after the iterator is closed: no writes under an open iterator.
        try (KeyValueIterator<Long, FirstSeen> entries = firstSeen.range(cursor, null)) {
            while (entries.hasNext()) {
                if (scanned == maxScanPerRun) {
                    next = entries.peekNextKey();
                    break;
                }
                KeyValue<Long, FirstSeen> entry = entries.next();
                scanned++;
                if (entry.value.timeMs() <= cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(firstSeen::delete);
        cursor = next;
        if (!expired.isEmpty()) {
            LOG.info("dedupe purge: scanned {} ids, removed {} first seen before {} ms (stream time minus retention)",
                    scanned, expired.size(), cutoff);
        }
    }
}
