package org.userlogins.kit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * TLS to PostgreSQL from libpq's own variables, so the same environment serves psql:
 * {@code PGSSLMODE} (default {@code prefer}, what pgjdbc and Debezium do when it is unset),
 * {@code PGSSLROOTCERT}, {@code PGSSLCERT} and {@code PGSSLKEY} (file paths, each optional). They
 * become pgjdbc's {@code sslmode}, {@code sslrootcert}, {@code sslcert} and {@code sslkey}, and
 * Debezium's same names under {@code database.}.
 *
 * @param rootCert CA certificate (PEM) that verify-ca and verify-full check the server against
 * @param cert     client certificate (PEM), for certificate authentication
 * @param key      its private key, as pgjdbc reads it: PKCS #8 (PEM {@code .pem} or DER {@code .pk8}) or PKCS #12 ({@code .p12})
 */
public record PostgresTls(String sslMode, String rootCert, String cert, String key) {
    public static final List<String> MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public static PostgresTls fromEnv(Env env) {
        String mode = env.string("PGSSLMODE", "prefer");
        if (!MODES.contains(mode)) {
            throw new ConfigException("PGSSLMODE=" + mode + " is not an SSL mode; use one of " + String.join(", ", MODES));
        }
        return new PostgresTls(mode, env.readableFile("PGSSLROOTCERT"), env.readableFile("PGSSLCERT"), env.readableFile("PGSSLKEY"));
    }

    /** pgjdbc's connection properties; unset paths are left out (pgjdbc then looks in ~/.postgresql/). */
    public Map<String, String> jdbcProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sslmode", sslMode);
        putIfSet(p, "sslrootcert", rootCert);
        putIfSet(p, "sslcert", cert);
        putIfSet(p, "sslkey", key);
        return p;
    }

    /** The same as URL parameters ({@code sslmode=require&sslrootcert=...}), values encoded as pgjdbc decodes them. */
    public String jdbcUrlParameters() {
        return jdbcProperties().entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void putIfSet(Map<String, String> p, String name, String value) {
        if (value != null) {
            p.put(name, value);
        }
    }

    /** For the log: paths are not secret. */
    @Override
    public String toString() {
        return jdbcProperties().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
