package dev.portcullis.core.sigv4;

import java.util.Objects;

/**
 * Why a request failed SigV4: AWS's code and message, the HTTP status, where in the request the
 * problem is, and — for {@link SigV4ErrorCode#SIGNATURE_DOES_NOT_MATCH} — the canonical request and
 * string to sign the verifier computed (for debugging; they never contain a secret).
 *
 * @param code              the error code (AWS's code and default HTTP status)
 * @param message           AWS's message text
 * @param location          the header or query parameter at fault (e.g. {@code Authorization},
 *                          {@code X-Amz-Date}, {@code X-Amz-Expires}), or {@code null}
 * @param canonicalRequest  the canonical request computed by the verifier, or {@code null}
 * @param stringToSign      the string to sign computed by the verifier, or {@code null}
 */
public record SigV4Error(SigV4ErrorCode code, String message, String location,
                         String canonicalRequest, String stringToSign) {

    public SigV4Error {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    static SigV4Error of(SigV4ErrorCode code, String message, String location) {
        return new SigV4Error(code, message, location, null, null);
    }

    /** AWS's code, e.g. {@code SignatureDoesNotMatch}. */
    public String awsCode() {
        return code.awsCode();
    }

    /** The HTTP status AWS answers with (403 for most, 400 for {@code IncompleteSignature}). */
    public int httpStatus() {
        return code.httpStatus();
    }
}
