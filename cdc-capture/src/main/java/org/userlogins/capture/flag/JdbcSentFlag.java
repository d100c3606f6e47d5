package org.userlogins.capture.flag;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Sets {@code sent_to_kafka = TRUE} with one {@code UPDATE ... WHERE id = ANY(?)} per batch, as the
 * capture role, autocommit. A failed connection is dropped and reopened on the next call.
 * Rows already flagged (a re-send after a crash) are left alone so they cost no WAL.
 */
public final class JdbcSentFlag implements SentFlag {
    private final String url;
    private final String user;
    private final String password;
    private final String sql;
    private Connection connection;

    public JdbcSentFlag(String url, String user, String password, String table) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.sql = "UPDATE " + table + " SET sent_to_kafka = TRUE WHERE id = ANY(?) AND sent_to_kafka IS DISTINCT FROM TRUE";
    }

    @Override
    public void markSent(long[] ids) throws SQLException {
        try {
            Connection db = connection();
            Array array = db.createArrayOf("int8", Arrays.stream(ids).boxed().toArray(Long[]::new));
            try (PreparedStatement update = db.prepareStatement(sql)) {
                update.setQueryTimeout(60);
                update.setArray(1, array);
                update.executeUpdate();
            } finally {
                array.free();
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    public static boolean isTransient(Throwable e) {
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        // No state: the driver lost the connection. 08 connection, 40 serialization/deadlock,
        // 53 resources, 57 operator intervention or timeout, 58 system error, 55P03 lock not available.
        return state == null || state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57") || state.startsWith("58") || state.equals("55P03");
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(true);
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being discarded; nothing to keep
            }
            connection = null;
        }
    }
}
