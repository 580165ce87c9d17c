package dev.portcullis.core.token;

/**
 * A session token that cannot be used, with the AWS error code and message the APIs return for it.
 * The message never contains the token.
 */
public final class SessionTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** Not a token we sealed, tampered with, sealed under an unknown key, or too large. */
        INVALID("InvalidClientTokenId", "The security token included in the request is invalid."),
        /** Authentic, but past its expiry. */
        EXPIRED("ExpiredToken", "The security token included in the request is expired");

        private final String code;
        private final String message;

        Reason(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String code() {
            return code;
        }

        public String message() {
            return message;
        }
    }

    private final Reason reason;

    SessionTokenException(Reason reason) {
        super(reason.message(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** AWS's error code, e.g. {@code ExpiredToken}. */
    public String code() {
        return reason.code();
    }
}
