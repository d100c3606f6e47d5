package org.userlogins.ops.resend;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;

/** ./pipeline resend on a real PostgreSQL, in a database of its own: which rows it sets back, and which it leaves. */
class ResendToolIT {
    private final String name = "ops_resend_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final OpsSettings home = OpsSettings.fromEnv(Env.system());
    private OpsSettings settings;

    @BeforeEach
    void createOwnDatabase() throws Exception {
        try (Connection db = DriverManager.getConnection(home.jdbcUrl(), home.jdbcProperties()); Statement st = db.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PGDATABASE", name);
        settings = OpsSettings.fromEnv(new Env(env));
        sql("CREATE TABLE user_logins (id SERIAL PRIMARY KEY, username TEXT, event_type TEXT, event_time TIMESTAMP,"
                + " sent_to_kafka BOOLEAN DEFAULT FALSE)");
        sql("INSERT INTO user_logins (id, username, sent_to_kafka) SELECT g, 'u' || g, g <= 90 FROM generate_series(1, 100) g");
    }

    @AfterEach
    void dropIt() throws Exception {
        try (Connection db = DriverManager.getConnection(home.jdbcUrl(), home.jdbcProperties()); Statement st = db.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void shouldSetBackOnlyTheSentRowsTheConditionNamesAndNothingOnADryRun() throws Exception {
        assertThat(ResendTool.run(new String[] {"--where", "id BETWEEN 81 AND 95", "--dry-run"}, settings)).isZero();
        assertThat(count("sent_to_kafka IS NOT TRUE")).as("a dry run changes nothing").isEqualTo(10);

        assertThat(ResendTool.run(new String[] {"--where", "id BETWEEN 81 AND 95"}, settings)).isZero();
        assertThat(count("sent_to_kafka IS NOT TRUE")).as("rows 81..90 set back; 91..100 were unsent already").isEqualTo(20);
        assertThat(count("sent_to_kafka IS NOT TRUE AND id BETWEEN 81 AND 100")).isEqualTo(20);
    }

    @Test
    void shouldRefuseABrokenConditionAndAnUnknownOptionWithoutChangingARow() throws Exception {
        assertThat(ResendTool.run(new String[] {"--where", "no_such_column = 1"}, settings)).isEqualTo(1);
        assertThat(ResendTool.run(new String[] {"--everything"}, settings)).isEqualTo(2);
        assertThat(ResendTool.run(new String[] {"--where"}, settings)).isEqualTo(2);
        assertThat(count("sent_to_kafka IS NOT TRUE")).isEqualTo(10);
    }

    private void sql(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties()); Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private long count(String where) throws Exception {
        try (Connection db = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties()); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM user_logins WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
