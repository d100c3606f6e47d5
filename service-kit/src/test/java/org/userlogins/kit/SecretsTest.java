package org.userlogins.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void shouldTreatPasswordsJaasSecretsTokensAndInlineKeysAsSecret() {
        assertThat(Secrets.isSecretName("ssl.key.password")).isTrue();
        assertThat(Secrets.isSecretName("sasl.jaas.config")).isTrue();
        assertThat(Secrets.isSecretName("sasl.oauthbearer.client.credentials.client.secret")).isTrue();
        assertThat(Secrets.isSecretName("access_token")).isTrue();
        assertThat(Secrets.isSecretName("ssl.keystore.key")).isTrue();
        assertThat(Secrets.isSecretName("ssl.keystore.location")).isFalse();
        assertThat(Secrets.isSecretName("ssl_key")).isFalse();
    }

    @Test
    void shouldMaskOnlyTheSecretValues() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("security.protocol", "SSL");
        options.put("ssl.keystore.password", "pw");
        options.put("ssl.key.password", "");

        assertThat(Secrets.maskOptions(options)).isEqualTo("{security.protocol=SSL, ssl.keystore.password=****, ssl.key.password=(empty)}");
        assertThat(Secrets.maskOptions(Map.of())).isEqualTo("{}");
    }
}
