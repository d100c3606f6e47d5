package org.userlogins.capture.publish;

import io.debezium.engine.RecordChangeEvent;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Debezium-shaped change records for user_logins, with the schema the PostgreSQL connector gives them. */
final class TestRecords {
    static final String DESTINATION = "test_slot.public.user_logins";

    static final Schema ROW = SchemaBuilder.struct().name("test_slot.public.user_logins.Value").optional()
            .field("id", Schema.INT32_SCHEMA)
            .field("username", Schema.OPTIONAL_STRING_SCHEMA)
            .field("event_type", Schema.OPTIONAL_STRING_SCHEMA)
            .field("event_time", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).optional().build())
            .field("sent_to_kafka", SchemaBuilder.bool().optional().defaultValue(false).build())
            .build();
    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("test_slot.public.user_logins.Envelope")
            .field("before", ROW)
            .field("after", ROW)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    private TestRecords() {
    }

    static Struct row(int id, String username, String eventType, Long eventTimeMicros, Boolean sent) {
        return new Struct(ROW).put("id", id).put("username", username).put("event_type", eventType)
                .put("event_time", eventTimeMicros).put("sent_to_kafka", sent);
    }

    static SourceRecord change(String op, Struct after) {
        Struct source = new Struct(SOURCE).put("ts_ms", 1_700_000_000_123L).put("lsn", 24_023_128L);
        Struct envelope = new Struct(ENVELOPE).put("after", after).put("source", source).put("op", op).put("ts_ms", 1_700_000_000_150L);
        return new SourceRecord(Map.of("server", "test_slot"), Map.of("lsn", 24_023_128L), DESTINATION, null, null, ENVELOPE, envelope);
    }

    /** An insert after {@code ALTER TABLE ... ALTER COLUMN event_time TYPE text}: the schema Debezium then gives it. */
    static SourceRecord changeWithTextEventTime(int id, String eventTime) {
        Schema row = SchemaBuilder.struct().name("test_slot.public.user_logins.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("username", Schema.OPTIONAL_STRING_SCHEMA)
                .field("event_type", Schema.OPTIONAL_STRING_SCHEMA)
                .field("event_time", Schema.OPTIONAL_STRING_SCHEMA)
                .field("sent_to_kafka", SchemaBuilder.bool().optional().defaultValue(false).build())
                .build();
        Schema envelope = SchemaBuilder.struct().name("test_slot.public.user_logins.Envelope")
                .field("after", row).field("source", SOURCE).field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
        Struct after = new Struct(row).put("id", id).put("username", "u").put("event_type", "login").put("event_time", eventTime).put("sent_to_kafka", false);
        Struct value = new Struct(envelope).put("after", after).put("source", new Struct(SOURCE).put("ts_ms", 1L).put("lsn", 2L)).put("op", "c");
        return new SourceRecord(Map.of("server", "test_slot"), Map.of("lsn", 2L), DESTINATION, null, null, envelope, value);
    }

    static SourceRecord insert(int id, String username) {
        return change("c", row(id, username, "login", 1_700_000_000_000_000L, false));
    }

    static SourceRecord heartbeat() {
        Schema key = SchemaBuilder.struct().name("io.debezium.connector.common.ServerNameKey").field("serverName", Schema.STRING_SCHEMA).build();
        return new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.test_slot", key, new Struct(key).put("serverName", "test_slot"));
    }

    static RecordChangeEvent<SourceRecord> event(SourceRecord record) {
        return () -> record;
    }
}
