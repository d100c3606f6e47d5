package org.userlogins.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.userlogins.ops.launch.ServiceProcess;

/** A wrong setting stops the packaged service at start with one line that says what to fix, and exit code 2. */
class BadConfigIT {
    private final String slot = "capture_it_bad_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    private Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        for (String key : new String[] {"PGHOST", "PGPORT", "PGDATABASE", "CAPTURE_PGUSER", "CAPTURE_PGPASSWORD", "KAFKA_BOOTSTRAP_SERVERS"}) {
            env.put(key, CaptureTestStack.env(key, ""));
        }
        env.put("CAPTURE_SLOT", slot);
        env.put("CAPTURE_OPS_PORT", "0");
        env.putAll(overrides);
        return env;
    }

    private ServiceProcess runWith(String name, Map<String, String> overrides) throws Exception {
        ServiceProcess process = CaptureProcess.run(env(overrides), "bad-config-" + name);
        // Nothing was started: no slot exists for this run
        assertThat(CaptureTestStack.count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'")).isZero();
        return process;
    }

    @Test
    void shouldExitWithCode2AndNameThePasswordWhenItIsWrong() throws Exception {
        ServiceProcess p = runWith("password", Map.of("CAPTURE_PGPASSWORD", "wrong-password"));

        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.output()).contains("error: password authentication failed for user cdc_capture: check CAPTURE_PGPASSWORD");
    }

    @Test
    void shouldExitWithCode2WhenThePublicationIsMissing() throws Exception {
        ServiceProcess p = runWith("publication", Map.of("CAPTURE_PUBLICATION", "no_such_pub"));

        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.output()).contains("error: publication no_such_pub does not exist: apply postgres-init/ or set CAPTURE_PUBLICATION");
    }

    @Test
    void shouldExitWithCode2WhenTheTableIsMissing() throws Exception {
        ServiceProcess p = runWith("table", Map.of("CAPTURE_TABLE", "public.no_such_table"));

        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.output()).contains("error: table public.no_such_table does not exist: apply postgres-init/ or set CAPTURE_TABLE");
    }

    @Test
    void shouldExitWithCode2WhenTheEventsTopicIsMissing() throws Exception {
        ServiceProcess p = runWith("topic", Map.of("KAFKA_TOPIC_EVENTS", "capture_it_no_such_topic"));

        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.output()).contains("error: topic capture_it_no_such_topic does not exist");
    }

    @Test
    void shouldExitWithCode2WhenASettingIsMalformed() throws Exception {
        ServiceProcess p = runWith("malformed", Map.of("CAPTURE_MAX_BATCH_SIZE", "lots"));

        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.output()).contains("error: CAPTURE_MAX_BATCH_SIZE=lots is not a whole number");
    }

    @Test
    void shouldExitWithCode2WhenTheSlotNameIsTakenByAnotherDatabase() throws Exception {
        // Slot names are cluster-wide; this one is made for the maintenance database "postgres".
        String taken = slot + "_taken";
        try (Connection other = DriverManager.getConnection("jdbc:postgresql://" + CaptureTestStack.env("PGHOST", "127.0.0.1") + ":"
                + CaptureTestStack.env("PGPORT", "5432") + "/postgres", CaptureTestStack.env("PGUSER", "postgres"),
                CaptureTestStack.env("PGPASSWORD", ""));
             Statement st = other.createStatement()) {
            st.execute("SELECT pg_create_logical_replication_slot('" + taken + "', 'pgoutput')");
            try {
                ServiceProcess p = CaptureProcess.run(env(Map.of("CAPTURE_SLOT", taken)), "bad-config-slot");

                assertThat(p.exitCode()).isEqualTo(2);
                assertThat(p.output()).contains("error: replication slot " + taken + " exists for database postgres with plugin pgoutput, "
                        + "not for database " + CaptureTestStack.env("PGDATABASE", "pipeline"));
            } finally {
                st.execute("SELECT pg_drop_replication_slot('" + taken + "')");
            }
        }
    }

    @Test
    void shouldExitWithCode2WhenTheRoleCannotReplicate() throws Exception {
        String role = slot + "_role";
        CaptureTestStack.sql("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");
        try {
            CaptureTestStack.sql("GRANT SELECT, UPDATE (sent_to_kafka) ON public.user_logins TO " + role);
            ServiceProcess p = runWith("replication", Map.of("CAPTURE_PGUSER", role, "CAPTURE_PGPASSWORD", "pw"));

            assertThat(p.exitCode()).isEqualTo(2);
            assertThat(p.output()).contains("error: role " + role + " lacks REPLICATION");
        } finally {
            CaptureTestStack.sql("DROP OWNED BY " + role);
            CaptureTestStack.sql("DROP ROLE " + role);
        }
    }

    @Test
    void shouldExitWithCode2WhenThePublicationHasNoRowFilterOrUpdates() throws Exception {
        // The publication of an earlier version: inserts only. A flag set back to FALSE would never be seen.
        String publication = slot + "_pub";
        CaptureTestStack.sql("CREATE PUBLICATION " + publication + " FOR TABLE public.user_logins WITH (publish = 'insert')");
        try {
            ServiceProcess p = runWith("publication-filter", Map.of("CAPTURE_PUBLICATION", publication));

            assertThat(p.exitCode()).isEqualTo(2);
            assertThat(p.output()).contains("error: publication " + publication + " must publish inserts and updates of public.user_logins "
                    + "with the row filter (sent_to_kafka IS NOT TRUE)", "ALTER PUBLICATION " + publication);
        } finally {
            CaptureTestStack.sql("DROP PUBLICATION " + publication);
        }
    }

    @Test
    void shouldExitWithCode2WhenEventTimeIsOfATypeItCannotConvert() throws Exception {
        CaptureTestStack.sql("ALTER TABLE user_logins ALTER COLUMN event_time TYPE text USING event_time::text");
        try {
            ServiceProcess p = runWith("event-time-type", Map.of());

            assertThat(p.exitCode()).isEqualTo(2);
            assertThat(p.output()).contains("error: column event_time of public.user_logins is text; "
                    + "capture converts timestamp(p) and timestamptz(p) only");
        } finally {
            CaptureTestStack.sql("ALTER TABLE user_logins ALTER COLUMN event_time TYPE timestamp USING event_time::timestamp");
        }
    }
}
