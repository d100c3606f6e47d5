package org.userlogins.writer.sink;

import com.clickhouse.client.api.ClientMisconfigurationException;
import com.clickhouse.client.api.ServerException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies ClickHouse failures. Data errors and configuration errors are listed by server error
 * code; everything else (connection refused, timeouts, 5xx, TOO_MANY_PARTS, memory limits, unknown
 * status of an insert) is treated as transient, because retrying with the same token never loses
 * nor duplicates a row, whereas stopping would.
 */
public final class InsertErrors {
    /** Codes meaning "this content cannot be stored": CANNOT_PARSE_*, TYPE_MISMATCH, out of range, constraint. */
    static final Set<Integer> DATA_CODES = Set.of(6, 26, 27, 32, 33, 38, 41, 53, 69, 70, 72, 117, 131, 321, 395, 469);
    /** Codes meaning "the configuration is wrong": auth, unknown user, access, missing table/db/column. */
    static final Set<Integer> FATAL_CODES = Set.of(16, 47, 60, 62, 81, 192, 194, 497, 516);
    /** Codes meaning "wrong credentials", which the writer reports as a configuration error at start. */
    static final Set<Integer> AUTH_CODES = Set.of(192, 194, 516);
    /** ACCESS_DENIED: the user is known but lacks a grant on the database or table. */
    static final int ACCESS_DENIED = 497;
    /** VIOLATED_CONSTRAINT: a CHECK constraint refused a row, which the message names. */
    static final int VIOLATED_CONSTRAINT = 469;
    /**
     * How ClickHouse names the row a CHECK constraint refused: "Constraint `c` for table t is
     * violated at row 37. Expression: ...". The number counts the insert's rows from 1, across its
     * blocks (CheckConstraintsTransform adds the rows it passed before), so it points into the
     * rows the writer sent, in their order.
     */
    private static final Pattern VIOLATED_AT_ROW = Pattern.compile("is violated at row (\\d{1,9})\\b");

    private InsertErrors() {
    }

    public static InsertException classify(Throwable failure) {
        Throwable e = unwrap(failure);
        String message = describe(e);
        if (e instanceof ServerException server) {
            int code = server.getCode();
            if (DATA_CODES.contains(code)) {
                return new InsertException(InsertException.Kind.DATA, message, e,
                        code == VIOLATED_CONSTRAINT ? rejectedRow(server.getMessage()) : 0);
            }
            if (FATAL_CODES.contains(code)) {
                return new InsertException(InsertException.Kind.FATAL, message, e);
            }
        }
        if (e instanceof ClientMisconfigurationException) {
            return new InsertException(InsertException.Kind.FATAL, message, e);
        }
        return new InsertException(InsertException.Kind.TRANSIENT, message, e);
    }

    /** The row a VIOLATED_CONSTRAINT message names (1-based), 0 when it names none. */
    static int rejectedRow(String message) {
        if (message == null) {
            return 0;
        }
        Matcher m = VIOLATED_AT_ROW.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    public static boolean isAuthFailure(Throwable failure) {
        return unwrap(failure) instanceof ServerException server && AUTH_CODES.contains(server.getCode());
    }

    public static boolean isAccessDenied(Throwable failure) {
        return unwrap(failure) instanceof ServerException server && server.getCode() == ACCESS_DENIED;
    }

    /** The exception and, when different, its root cause: "Insert request failed" alone says little. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
        return root == e ? text : text + " (cause: " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage()) + ")";
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }
}
