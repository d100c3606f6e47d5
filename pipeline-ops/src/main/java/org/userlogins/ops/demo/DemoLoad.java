package org.userlogins.ops.demo;

import com.clickhouse.client.api.query.GenericRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.userlogins.kit.ConfigException;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.KafkaProbe;
import org.userlogins.ops.probe.PostgresProbe;

/**
 * `./pipeline demo`: inserts a realistic sample into PostgreSQL while printing a live line of
 * counts per stage, waits until ClickHouse holds every unsent row, then prints a summary.
 * Exit 1 when ClickHouse does not agree with PostgreSQL within the timeout.
 */
public final class DemoLoad {
    private static final int TRANSACTIONS = 30;
    private static final int ROWS_PER_TRANSACTION = 100;
    private static final int SINGLE_ROW_TRANSACTIONS = 100;
    private static final int ALREADY_SENT = 200;
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    // Several users and event types; logins dominate as they do in real traffic.
    private static final String INSERT = """
            INSERT INTO user_logins (username, event_type, event_time, sent_to_kafka)
            SELECT (ARRAY['alice','bob','carol','dave','erin','frank','grace','heidi','ivan','judy'])[1 + floor(random() * 10)::int],
                   (ARRAY['login','login','login','login','login','login','login','login','logout','logout',
                          'logout','logout','purchase','purchase','purchase','registration','registration',
                          'password_reset','login','logout'])[1 + floor(random() * 20)::int],
                   date_trunc('second', now() AT TIME ZONE 'UTC') - floor(random() * 3600) * interval '1 second',
                   ?
            FROM generate_series(1, ?)""";

    private DemoLoad() {
    }

    public static int run(OpsSettings s, String[] args) throws Exception {
        if (args.length > 0) {
            throw new ConfigException("demo takes no options (got " + String.join(" ", args) + ")");
        }
        try (PostgresProbe pg = new PostgresProbe(s); KafkaProbe kafka = new KafkaProbe(s); ClickHouseProbe ch = new ClickHouseProbe(s)) {
            Connection db = pg.connection();
            long firstId = pg.single("SELECT coalesce(max(id), 0) FROM user_logins") + 1;
            long eventsBefore = kafka.endOffsetSum(s.eventsTopic());
            long cleanBefore = kafka.endOffsetSum(s.cleanTopic());
            Stages stages = new Stages(pg, kafka, ch, s, firstId, eventsBefore, cleanBefore);

            insert(db, ALREADY_SENT, true);
            long flaggedLast = pg.single("SELECT max(id) FROM user_logins");
            System.out.printf("inserted %d rows already flagged sent_to_kafka = TRUE (ids %d-%d): capture must skip them"
                    + " (./pipeline check counts them as never published)%n", ALREADY_SENT, firstId, flaggedLast);
            int inserted = 0;
            for (int t = 0; t < TRANSACTIONS; t++) {
                insert(db, ROWS_PER_TRANSACTION, false);
                inserted += ROWS_PER_TRANSACTION;
                for (int i = 0; i < SINGLE_ROW_TRANSACTIONS / TRANSACTIONS; i++) {
                    insert(db, 1, false);
                    inserted++;
                }
                stages.printLive(inserted);
                Thread.sleep(PAUSE.toMillis());
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (stages.clickHouseRows() < inserted && System.nanoTime() < deadline) {
                stages.printLive(inserted);
                Thread.sleep(250);
            }
            stages.printLive(inserted);
            System.out.println();
            return Summary.print(ch, firstId, flaggedLast, inserted, ALREADY_SENT);
        }
    }

    private static void insert(Connection db, int rows, boolean alreadySent) throws Exception {
        try (PreparedStatement st = db.prepareStatement(INSERT)) {
            st.setBoolean(1, alreadySent);
            st.setInt(2, rows);
            st.executeUpdate();
        }
    }

    /** The live line: how far each stage has got with the demo's rows. */
    private record Stages(PostgresProbe pg, KafkaProbe kafka, ClickHouseProbe ch, OpsSettings s, long firstId,
                          long eventsBefore, long cleanBefore) {
        long clickHouseRows() {
            if (!ch.tableExists()) {
                return 0;
            }
            return ch.single("SELECT count() FROM " + ch.table() + " FINAL WHERE id >= " + firstId);
        }

        void printLive(int inserted) throws Exception {
            long unsent = pg.single("SELECT count(*) FROM user_logins WHERE id >= " + firstId + " AND " + PostgresProbe.UNSENT);
            // The clean topic is transactional: its end offset also counts commit markers.
            System.out.printf("\rpostgres %,6d inserted, %,6d unsent | %s +%,6d | %s offset +%,6d | clickhouse %,6d   ",
                    inserted, unsent, s.eventsTopic(), kafka.endOffsetSum(s.eventsTopic()) - eventsBefore,
                    s.cleanTopic(), kafka.endOffsetSum(s.cleanTopic()) - cleanBefore, clickHouseRows());
            System.out.flush();
        }
    }

    /** The closing report: counts, rows per event type, latency, and where to look next. */
    private static final class Summary {
        static int print(ClickHouseProbe ch, long firstId, long flaggedLast, int inserted, int alreadySent) {
            String table = ch.table();
            String demoRows = table + " FINAL WHERE id > " + flaggedLast;
            long delivered = ch.single("SELECT count() FROM " + demoRows);
            long skippedButStored = ch.single("SELECT count() FROM " + table + " WHERE id BETWEEN " + firstId + " AND " + flaggedLast);
            System.out.println();
            System.out.println("rows per event type in ClickHouse (this demo):");
            for (GenericRecord r : ch.query("SELECT ifNull(event_type, '(null)') AS t, count() AS c FROM " + demoRows
                    + " GROUP BY t ORDER BY c DESC")) {
                System.out.printf("  %-16s %,6d%n", r.getString(1), r.getLong(2));
            }
            System.out.printf("postgres: %,d unsent rows inserted, %,d already sent | clickhouse: %,d of them stored, %,d of the already-sent%n",
                    inserted, alreadySent, delivered, skippedButStored);
            GenericRecord latency = ch.query("SELECT quantile(0.5)(ms), quantile(0.99)(ms), max(ms), count() FROM (SELECT "
                    + "dateDiff('millisecond', committed_at, ingested_at) AS ms FROM " + demoRows + " AND committed_at IS NOT NULL)").get(0);
            System.out.printf("end-to-end latency, PostgreSQL commit -> stored in ClickHouse: p50 %.0f ms, p99 %.0f ms, max %d ms (%,d rows)%n",
                    latency.getDouble(1), latency.getDouble(2), latency.getLong(3), latency.getLong(4));
            System.out.println();
            System.out.println("query further:");
            System.out.println("  curl -s -u \"$CLICKHOUSE_USER:$CLICKHOUSE_PASSWORD\" \"$CLICKHOUSE_URL\" --data-binary \"SELECT username, count() FROM " + table.replace("`", "")
                    + " FINAL GROUP BY username ORDER BY 2 DESC FORMAT PrettyCompact\"");
            System.out.println("  ./pipeline status    ./pipeline check    ./pipeline logs ch-writer");
            boolean ok = delivered == inserted && skippedButStored == 0;
            System.out.println(ok ? "demo OK: every unsent row arrived once, no already-sent row was captured"
                    : "demo FAILED: ClickHouse does not match PostgreSQL (see ./pipeline status and ./pipeline check)");
            return ok ? 0 : 1;
        }
    }
}
