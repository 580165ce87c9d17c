package dev.portcullis.state.store;

/** The store cannot be opened or used (corrupt file, unreachable database); the message names the store. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
