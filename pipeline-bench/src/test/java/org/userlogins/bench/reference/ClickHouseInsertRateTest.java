package org.userlogins.bench.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ClickHouseInsertRateTest {
    @Test
    void shouldEncodeEachRowAsRowBinaryOfTheWritersInsertColumns() {
        byte[] bytes = ClickHouseInsertRate.encode(7, 8, 1_732_400_000_123L);

        // id 8 + username (1+1+5 "user7") + event_type (1+1+5 "login") + event_time 1+4 + lsn 1+8 + two DateTime64 1+8 each
        // + partition 4 + offset 8
        int row = 8 + 7 + 7 + 5 + 9 + 9 + 9 + 4 + 8;
        assertThat(bytes).hasSize(2 * row);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong(0)).isEqualTo(7);
        assertThat(b.get(8)).isZero(); // not null
        assertThat(b.get(9)).isEqualTo((byte) 5);
        assertThat(new String(bytes, 10, 5)).isEqualTo("user7");
        assertThat(b.getLong(row)).isEqualTo(8);
    }
}
