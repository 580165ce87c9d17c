package dev.portcullis.server.config;

/** A setting that is missing, malformed or out of range; the message names the setting and its source. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
