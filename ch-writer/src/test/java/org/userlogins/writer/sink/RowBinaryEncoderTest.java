package org.userlogins.writer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userlogins.events.UserEvent;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.testing.Records;

class RowBinaryEncoderTest {
    @Test
    void shouldWriteColumnsInTableOrderWithNullFlags() {
        Row row = new Row(new UserEvent(258, "é", null, 4_294_967_295L, null, 1_000L, null), Records.record(3, 9, 258));

        ByteBuffer b = ByteBuffer.wrap(new RowBinaryEncoder().encode(List.of(row))).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(b.getLong()).isEqualTo(258);
        assertThat(b.get()).isZero();
        assertThat(b.get()).isEqualTo((byte) 2);
        byte[] name = new byte[2];
        b.get(name);
        assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo("é");
        assertThat(b.get()).isEqualTo((byte) 1);
        assertThat(b.get()).isZero();
        assertThat(Integer.toUnsignedLong(b.getInt())).isEqualTo(4_294_967_295L);
        assertThat(b.get()).isEqualTo((byte) 1);
        assertThat(b.get()).isZero();
        assertThat(b.getLong()).isEqualTo(1_000L);
        assertThat(b.get()).isEqualTo((byte) 1);
        assertThat(b.getInt()).isEqualTo(3);
        assertThat(b.getLong()).isEqualTo(9);
        assertThat(b.remaining()).isZero();
    }

    @Test
    void shouldWriteLongStringLengthsAsLeb128() {
        String tenKb = "x".repeat(10_000);
        Row row = new Row(UserEvent.of(1, tenKb, null, null), Records.record(0, 0, 1));

        byte[] bytes = new RowBinaryEncoder().encode(List.of(row));

        // 10000 = 0x2710 -> LEB128 0x90 0x4E
        assertThat(bytes[9] & 0xFF).isEqualTo(0x90);
        assertThat(bytes[10] & 0xFF).isEqualTo(0x4E);
        assertThat(bytes).hasSize(8 + 1 + 2 + 10_000 + 1 + 1 + 1 + 1 + 1 + 4 + 8);
    }
}
