package org.userlogins.kit;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * ClickHouse client-v2 options from the environment, for what the pipeline does not configure
 * itself (client certificates, trust stores, timeouts, server settings). {@code CLICKHOUSE_CLIENT_<NAME>}
 * becomes option {@code <name>} in lower case, underscores kept, because client-v2's option keys
 * are written that way ({@code ssl_key}, {@code sslcert}, {@code socket_timeout},
 * {@code clickhouse_setting_<server setting>}): {@code CLICKHOUSE_CLIENT_SSL_KEY=/etc/ch/client.key}
 * is {@code ssl_key}. The few dotted keys ({@code client.http.cookies_enabled}) cannot be reached.
 * Services pass them to {@code Client.Builder.setOption} after their own settings, so an option
 * wins; client-v2 refuses an unknown key when the client is built. {@link #toString()} masks secrets.
 */
public record ClickHouseClientOptions(Map<String, String> options) {
    public static final String PREFIX = "CLICKHOUSE_CLIENT_";
    public static final ClickHouseClientOptions NONE = new ClickHouseClientOptions(Map.of());

    /**
     * Credentials and the CA have their own variables (the password is masked in the log that
     * way); the insert settings keep a retried batch from being stored twice: its deduplication
     * token works only with synchronous, deduplicated inserts.
     */
    static final Map<String, String> OWNED = Map.of(
            "user", "use CLICKHOUSE_USER",
            "password", "use CLICKHOUSE_PASSWORD",
            "sslrootcert", "use CLICKHOUSE_SSL_ROOT_CERT",
            "clickhouse_setting_insert_deduplicate", "a retried batch would be stored twice",
            "clickhouse_setting_insert_deduplication_token", "a retried batch would be stored twice",
            "clickhouse_setting_async_insert", "a retried batch would be stored twice");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]+(_[A-Za-z0-9]+)*");

    public ClickHouseClientOptions {
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    public static ClickHouseClientOptions fromEnv(Env env) {
        Map<String, String> options = new TreeMap<>();
        env.withPrefix(PREFIX).forEach((name, value) -> {
            String variable = PREFIX + name;
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(variable + " is not a ClickHouse client option; use CLICKHOUSE_CLIENT_ and the option's"
                        + " name in capitals, e.g. CLICKHOUSE_CLIENT_SSL_KEY");
            }
            String option = name.toLowerCase(Locale.ROOT);
            if (OWNED.containsKey(option)) {
                throw new ConfigException(variable + " would set " + option + ", which the pipeline sets itself; " + OWNED.get(option));
            }
            options.put(option, value);
        });
        return new ClickHouseClientOptions(options);
    }

    @Override
    public String toString() {
        return Secrets.maskOptions(options);
    }
}
