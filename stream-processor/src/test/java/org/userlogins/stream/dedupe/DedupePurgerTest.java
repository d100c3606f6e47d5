package org.userlogins.stream.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedupePurgerTest {
    private static final Duration RETENTION = Duration.ofMillis(1000);
    private KeyValueStore<Long, FirstSeen> store;
    private long streamTime;

    private static FirstSeen seenAt(long timeMs) {
        return new FirstSeen(timeMs, FirstSeen.NO_LSN);
    }

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("first-seen"), Serdes.Long(), FirstSeen.serde())
                .withLoggingDisabled().build();
        var context = new MockProcessorContext<Object, Object>();
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void shouldRemoveOnlyMarksAtLeastTheRetentionOlderThanStreamTime() {
        store.put(1L, seenAt(0L));
        store.put(2L, seenAt(501L));
        store.put(4L, seenAt(500L));
        store.put(3L, seenAt(1500L));
        streamTime = 1500;

        new DedupePurger(store, RETENTION, () -> streamTime, 100).punctuate(0);

        assertThat(store.get(1L)).isNull();
        assertThat(store.get(2L)).isEqualTo(seenAt(501L));
        assertThat(store.get(4L)).isNull();
        assertThat(store.get(3L)).isEqualTo(seenAt(1500L));
    }

    @Test
    void shouldScanAtMostTheBoundPerRunAndContinueWhereItStopped() {
        for (long id = 1; id <= 10; id++) {
            store.put(id, seenAt(0L));
        }
        streamTime = 5000;
        DedupePurger purger = new DedupePurger(store, RETENTION, () -> streamTime, 4);

        purger.punctuate(0);
        assertThat(store.approximateNumEntries()).isEqualTo(6);
        purger.punctuate(0);
        assertThat(store.approximateNumEntries()).isEqualTo(2);
        purger.punctuate(0);
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void shouldRemoveNothingBeforeAnyRecordSetStreamTime() {
        store.put(1L, seenAt(0L));
        streamTime = -1;
        new DedupePurger(store, RETENTION, () -> streamTime, 100).punctuate(0);
        assertThat(store.get(1L)).isEqualTo(seenAt(0L));
    }
}
