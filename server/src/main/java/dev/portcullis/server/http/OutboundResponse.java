package dev.portcullis.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A response to write: status, content type, extra headers and body. The headers are name-value
 * pairs in order, so a name may repeat (an upstream's two {@code Set-Cookie} headers stay two
 * header lines: RFC 9110 §5.3, RFC 6265 §3).
 */
public record OutboundResponse(int status, String contentType, List<Map.Entry<String, String>> headers, byte[] body) {

    public OutboundResponse {
        headers = headers == null ? List.of() : List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A response with at most one value per header name. */
    public OutboundResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers == null || headers.isEmpty() ? List.of() : List.copyOf(headers.entrySet()),
                body);
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    public static OutboundResponse xml(int status, String xml) {
        return new OutboundResponse(status, "text/xml", List.of(), xml.getBytes(StandardCharsets.UTF_8));
    }

    public static OutboundResponse json(int status, String json) {
        return new OutboundResponse(status, "application/json", List.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    public static OutboundResponse text(int status, String text) {
        return new OutboundResponse(status, "text/plain; charset=utf-8", List.of(), text.getBytes(StandardCharsets.UTF_8));
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
        return "OutboundResponse[" + status + ", " + body.length + " bytes]";
    }
}
