package dev.portcullis.core.sigv4;

import java.util.Objects;

/**
 * A view of an HTTP request for signing or verifying, built without copying much.
 *
 * @param method      the HTTP method, e.g. {@code GET}
 * @param rawPath     the path as received, still percent-encoded (e.g. {@code /a%20b/c}); empty means {@code /}
 * @param rawQuery    the query string as received, without {@code ?}, still percent-encoded; {@code null} or empty when none
 * @param headers     the headers (case-insensitive multi-map view)
 * @param body        the body bytes, or {@code null} when unavailable (then {@code payloadHash} or the
 *                    {@code X-Amz-Content-Sha256} header is used; with neither, the body is taken as empty)
 * @param payloadHash the lowercase hex SHA-256 of the body computed by the caller, or {@code null}
 */
public record SigV4Request(String method, String rawPath, String rawQuery, HeaderSource headers,
                           byte[] body, String payloadHash) {

    public SigV4Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(headers, "headers");
    }

    /** A request with its body bytes. */
    public static SigV4Request of(String method, String rawPath, String rawQuery, HeaderSource headers, byte[] body) {
        return new SigV4Request(method, rawPath, rawQuery, headers, body, null);
    }

    /** A request whose body the caller has hashed already (lowercase hex SHA-256). */
    public static SigV4Request withPayloadHash(String method, String rawPath, String rawQuery,
                                               HeaderSource headers, String payloadHash) {
        return new SigV4Request(method, rawPath, rawQuery, headers, null, payloadHash);
    }

    @Override
    public String toString() {
        return "SigV4Request[" + method + " " + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery)
                + ", body=" + (body == null ? "n/a" : body.length + " bytes") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
