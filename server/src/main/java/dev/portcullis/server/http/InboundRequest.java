package dev.portcullis.server.http;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * One request as received, with its body fully read (within the listener's limit).
 *
 * @param requestId     our id for it, returned in {@code x-amzn-RequestId}
 * @param correlationId from {@code X-Correlation-Id} or {@code traceparent}, else the request id
 * @param method        HTTP method
 * @param rawPath       the path, still percent-encoded
 * @param rawQuery      the query string without {@code ?}, still percent-encoded, or null
 * @param host          the {@code Host} header (authority), or null
 * @param headers       case-insensitive header view: name → values in order received (empty list when absent)
 * @param body          the body bytes (empty, never null)
 * @param sourceIp      the peer's IP address
 * @param secure        true when received over TLS ({@code aws:SecureTransport})
 * @param receivedAt    wall-clock arrival time
 * @param startNanos    {@link System#nanoTime()} at arrival, for latency
 */
public record InboundRequest(
        String requestId,
        String correlationId,
        String method,
        String rawPath,
        String rawQuery,
        String host,
        Function<String, List<String>> headers,
        byte[] body,
        String sourceIp,
        boolean secure,
        Instant receivedAt,
        long startNanos) {

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.apply(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * The names of the headers received, each once (empty when the header view cannot list them).
     * The gateway needs them to forward headers.
     */
    public List<String> headerNames() {
        return headers instanceof HeaderNames named ? named.names() : List.of();
    }

    /**
     * Every header as received, in order, one call per value (nothing when the header view cannot list
     * them): cheaper than {@link #headerNames()} followed by a look-up per name.
     */
    public void forEachHeader(java.util.function.BiConsumer<String, String> action) {
        if (headers instanceof HeaderNames named) {
            named.forEach(action);
        }
    }

    /** A header view that can also list the names it holds. */
    public interface HeaderNames {
        List<String> names();

        /** Each header name and value, in the order received. */
        void forEach(java.util.function.BiConsumer<String, String> action);
    }

    /** The {@code User-Agent} header, or the empty string. */
    public String userAgent() {
        String ua = header("user-agent");
        return ua == null ? "" : ua;
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
        return "InboundRequest[" + requestId + " " + method + " " + rawPath + " from " + sourceIp + "]";
    }
}
