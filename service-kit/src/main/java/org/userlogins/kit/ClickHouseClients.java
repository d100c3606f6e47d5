package org.userlogins.kit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientMisconfigurationException;
import java.util.function.UnaryOperator;

/**
 * The one way every service and tool builds its ClickHouse client: TLS when the URL is https://,
 * verified against CLICKHOUSE_SSL_ROOT_CERT if set (else the JVM's trust store); then the caller's
 * tuning; then the CLICKHOUSE_CLIENT_* options, last so they win. An option client-v2 refuses (an
 * unknown key, a trust store together with client certificates) is a configuration error.
 */
public final class ClickHouseClients {
    private ClickHouseClients() {
    }

    public static Client build(String url, String user, String password, String rootCert, ClickHouseClientOptions options,
                               UnaryOperator<Client.Builder> tuning) {
        Client.Builder builder = new Client.Builder()
                .addEndpoint(url)
                .setUsername(user)
                .setPassword(password);
        if (rootCert != null) {
            builder.setRootCertificate(rootCert);
        }
        builder = tuning.apply(builder);
        options.options().forEach(builder::setOption);
        try {
            return builder.build();
        } catch (ClientMisconfigurationException | IllegalArgumentException e) {
            throw new ConfigException("the ClickHouse client refuses its configuration (" + e.getMessage()
                    + "); check CLICKHOUSE_URL, CLICKHOUSE_SSL_ROOT_CERT and the CLICKHOUSE_CLIENT_* variables");
        }
    }
}
