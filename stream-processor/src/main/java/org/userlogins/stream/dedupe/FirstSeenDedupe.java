package org.userlogins.stream.dedupe;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Remembers, per id, the record time at which it was first seen and the WAL position of that
 * copy's change, and says whether a record is the first copy within the retention.
 *
 * <p>A copy of the same change (the same {@code source_lsn}, or none) is a duplicate: capture
 * re-sends after a crash from the same WAL record. A copy of a later change of the row (a higher
 * {@code source_lsn}) is a deliberate re-send: an operator set {@code sent_to_kafka} back to
 * FALSE, and the row goes through like a replay (ClickHouse's FINAL collapses it).
 *
 * <p>Why a plain key-value store rather than a window store: the rule stays exact and local to
 * one id ("a copy within {@code retention} of the first one is a duplicate"), whatever the
 * order of the timestamps, whereas a window store silently drops writes older than stream time
 * minus retention and expires whole segments. The cost is a bounded purge scan
 * ({@link DedupePurger}). The store is persistent (RocksDB) and changelog-backed, so a restart
 * or a moved task keeps it; under exactly_once_v2 the changelog write commits in the same
 * transaction as the output, so a crash can neither lose nor double a first-seen mark.
 */
public final class FirstSeenDedupe {
    private final KeyValueStore<Long, FirstSeen> firstSeen;
    private final long retentionMs;

    public FirstSeenDedupe(KeyValueStore<Long, FirstSeen> firstSeen, Duration retention) {
        this.firstSeen = firstSeen;
        this.retentionMs = retention.toMillis();
    }

    /** Persistent, logged, uncached: every first-seen mark reaches the changelog in the same commit. */
    public static StoreBuilder<KeyValueStore<Long, FirstSeen>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Long(), FirstSeen.serde())
                .withLoggingEnabled(Map.of())
                .withCachingDisabled();
    }

    /**
     * True when {@code id} was not seen within the retention before {@code recordTimeMs}, or when
     * {@code lsn} is later than the LSN of the copy that went out; the id is then marked as seen
     * at that time with that LSN. A copy with an earlier timestamp than the first one (out of
     * order) is also a duplicate: the first copy has already gone out.
     */
    public boolean isFirstCopy(long id, long recordTimeMs, Long lsn) {
        FirstSeen seen = firstSeen.get(id);
        if (seen != null && recordTimeMs - seen.timeMs() < retentionMs && !isLaterChange(seen, lsn)) {
            return false;
        }
        firstSeen.put(id, new FirstSeen(recordTimeMs, lsn == null ? FirstSeen.NO_LSN : lsn));
        return true;
    }

    private static boolean isLaterChange(FirstSeen seen, Long lsn) {
        return lsn != null && seen.lsn() != FirstSeen.NO_LSN && lsn > seen.lsn();
    }
}
