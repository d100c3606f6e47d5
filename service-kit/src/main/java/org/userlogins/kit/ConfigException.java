package org.userlogins.kit;

/** Bad configuration: the message names the setting and says what to fix; services exit with code 2. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
