package dev.portcullis.core.sigv4;

import java.util.Objects;

/**
 * A request failed SigV4 authentication (or could not be signed). Checked, so callers cannot forget
 * it; the {@link #error()} is the data to render. The message never contains a secret.
 */
public final class SigV4Exception extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient SigV4Error error;

    public SigV4Exception(SigV4Error error) {
        super(error.awsCode() + ": " + error.message(), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    static SigV4Exception of(SigV4ErrorCode code, String message, String location) {
        return new SigV4Exception(SigV4Error.of(code, message, location));
    }

    /** The error: code, AWS message, HTTP status, location and (for mismatches) the canonical forms. */
    public SigV4Error error() {
        return error;
    }
}
