package org.userlogins.kit;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Masks secrets before a configuration is logged. */
public final class Secrets {
    /**
     * Option names whose values are secrets: passwords, JAAS configurations (they embed the
     * password), client secrets and tokens, and an inline private key ({@code ssl.keystore.key}).
     */
    private static final Pattern SECRET_NAME = Pattern.compile("password|jaas|secret|token|\\.key$", Pattern.CASE_INSENSITIVE);

    private Secrets() {
    }

    public static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(empty)" : "****";
    }

    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).find();
    }

    /** {@code {name=value, ...}} for the log, the values of secret names masked. */
    public static String maskOptions(Map<String, String> options) {
        return options.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecretName(e.getKey()) ? mask(e.getValue()) : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
