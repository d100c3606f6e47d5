package org.userlogins.stack;

import java.util.Map;

/** The connection settings `./pipeline env` exports, with the local stack's defaults. */
record StackSettings(Map<String, String> env) {
    static StackSettings fromEnv() {
        return new StackSettings(System.getenv());
    }

    String get(String name, String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + get("PGHOST", "127.0.0.1") + ":" + get("PGPORT", "5432") + "/" + get("PGDATABASE", "pipeline");
    }

    String kafka() {
        return get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    }

    int partitions() {
        return Integer.parseInt(get("KAFKA_PARTITIONS", "3"));
    }

    String clickHouseUrl() {
        return get("CLICKHOUSE_URL", "http://127.0.0.1:8123");
    }
}
