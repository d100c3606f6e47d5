package org.userlogins.stream.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class FirstSeenTest {
    private final Serde<FirstSeen> serde = FirstSeen.serde();

    @Test
    void shouldRoundTripTimeAndLsn() {
        byte[] bytes = serde.serializer().serialize("t", new FirstSeen(1_700_000_000_000L, 24_023_128L));
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(new FirstSeen(1_700_000_000_000L, 24_023_128L));
    }

    @Test
    void shouldReadAValueOfTheEarlierStoreFormatAsTimeWithoutLsn() {
        byte[] legacy = ByteBuffer.allocate(8).putLong(1_700_000_000_000L).array(); // Serdes.Long() of the old store
        assertThat(serde.deserializer().deserialize("t", legacy)).isEqualTo(new FirstSeen(1_700_000_000_000L, FirstSeen.NO_LSN));
    }
}
