package org.userlogins.kit;

/** Masks secrets before a configuration is logged. */
public final class Secrets {
    private Secrets() {
    }

    public static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(empty)" : "****";
    }
}
