package org.userlogins.ops.preflight;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What ch-writer needs of ClickHouse, checked as its own user: it logs in, and its grants let it
 * create the database and table it writes and insert into it. SHOW GRANTS lists the user's own
 * grants; grants through roles it cannot resolve are reported as not confirmed (the writer says
 * at start if one is missing).
 */
public final class ClickHousePreflight {
    private static final String SERVER = "clickhouse";
    static final List<String> NEEDED = List.of("CREATE DATABASE", "CREATE TABLE", "INSERT", "SELECT", "SHOW");

    private final Client client;
    private final String url;
    private final String user;
    private final String database;
    private final String engine;

    /** {@code engine}: the table engine's name, as WRITER_TABLE_ENGINE gives it (without its arguments). */
    public ClickHousePreflight(Client client, String url, String user, String database, String engine) {
        this.client = client;
        this.url = url;
        this.user = user;
        this.database = database;
        this.engine = engine;
    }

    public List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        List<String> grants = new ArrayList<>();
        try {
            for (GenericRecord r : client.queryAll("SHOW GRANTS")) {
                grants.add(r.getString(1));
            }
        } catch (RuntimeException e) {
            findings.add(Finding.missing(SERVER, "log in as " + user + " (" + url + ")", e.getMessage(), setup(user, database, engine)));
            return findings;
        }
        findings.add(Finding.ok(SERVER, "log in as " + user + " (" + url + ")"));
        List<String> lacking = lacking(grants, database, engine);
        String what = user + " may create and write `" + database + "`";
        if (lacking.isEmpty()) {
            findings.add(Finding.ok(SERVER, what));
        } else if (grants.stream().anyMatch(g -> g.toUpperCase(Locale.ROOT).startsWith("GRANT ") && !g.contains(" ON "))) {
            findings.add(Finding.unconfirmed(SERVER, what, "granted through roles (" + String.join("; ", grants) + ")"));
        } else {
            findings.add(Finding.missing(SERVER, what, "lacks " + String.join(", ", lacking), grant(user, database, engine)));
        }
        return findings;
    }

    /**
     * The privileges of {@link #NEEDED} that no grant line covers on the database, and TABLE ENGINE
     * on the writer's engine, which servers with table_engines_require_grant ask for.
     */
    static List<String> lacking(List<String> grants, String database, String engine) {
        List<String> lacking = new ArrayList<>();
        for (String privilege : NEEDED) {
            if (grants.stream().noneMatch(g -> covers(g, privilege, database))) {
                lacking.add(privilege);
            }
        }
        if (grants.stream().noneMatch(g -> coversEngine(g, engine))) {
            lacking.add("TABLE ENGINE ON " + engine);
        }
        return lacking;
    }

    private static boolean coversEngine(String grant, String engine) {
        String g = grant.trim().replace("`", "");
        return g.startsWith("GRANT ALL ON *.* ") || g.matches("GRANT (.*, )?TABLE ENGINE ON (" + engine + "|\\*) TO .*");
    }

    /** "GRANT p1, p2 ON target TO user": target *.*, db.*, or a prefix pattern db*.* that matches. */
    private static boolean covers(String grant, String privilege, String database) {
        String g = grant.trim();
        int on = g.indexOf(" ON ");
        int to = g.lastIndexOf(" TO ");
        if (!g.toUpperCase(Locale.ROOT).startsWith("GRANT ") || on < 0 || to < on) {
            return false;
        }
        String target = g.substring(on + 4, to).trim().replace("`", "");
        boolean onDatabase = target.equals("*.*") || target.equals(database + ".*")
                || (target.endsWith("*.*") && database.startsWith(target.substring(0, target.length() - 3)));
        if (!onDatabase) {
            return false;
        }
        for (String p : g.substring(6, on).split(",")) {
            String name = p.trim().toUpperCase(Locale.ROOT);
            if (name.equals("ALL") || name.equals(privilege) || name.startsWith(privilege + "(")
                    || (privilege.startsWith("CREATE ") && name.equals("CREATE"))) {
                return true;
            }
        }
        return false;
    }

    static String setup(String user, String database, String engine) {
        return "CREATE USER IF NOT EXISTS " + user + " IDENTIFIED WITH sha256_password BY '<CLICKHOUSE_PASSWORD>';\n"
                + grant(user, database, engine);
    }

    static String grant(String user, String database, String engine) {
        return "GRANT " + String.join(", ", NEEDED) + " ON `" + database + "`.* TO " + user + ";\n"
                + "GRANT TABLE ENGINE ON " + engine + " TO " + user + ";";
    }
}
