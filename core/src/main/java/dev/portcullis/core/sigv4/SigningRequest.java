package dev.portcullis.core.sigv4;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to sign.
 *
 * @param method   the HTTP method
 * @param rawPath  the path as it will be sent (percent-encoded); empty means {@code /}
 * @param rawQuery the query string as it will be sent (percent-encoded, without {@code ?}), or {@code null}
 * @param headers  the headers to send and sign (must include {@code Host}); names in any case
 * @param body     the body, or {@code null} for none
 */
public record SigningRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                             byte[] body) {
    public SigningRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(headers, "headers");
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "SigningRequest[" + method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery) + "]";
    }
}
