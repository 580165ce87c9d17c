package dev.portcullis.state.keyring;

/** The keyring could not be loaded or a secret could not be opened. Never carries key material. */
public final class KeyringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyringException(String message) {
        super(message);
    }

    public KeyringException(String message, Throwable cause) {
        super(message, cause);
    }
}
