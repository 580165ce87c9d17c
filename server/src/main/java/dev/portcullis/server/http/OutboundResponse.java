package dev.portcullis.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response to write: status, content type, extra headers and body.
 */
public record OutboundResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    public OutboundResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static OutboundResponse xml(int status, String xml) {
        return new OutboundResponse(status, "text/xml", Map.of(), xml.getBytes(StandardCharsets.UTF_8));
    }

    public static OutboundResponse json(int status, String json) {
        return new OutboundResponse(status, "application/json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    public static OutboundResponse text(int status, String text) {
        return new OutboundResponse(status, "text/plain; charset=utf-8", Map.of(), text.getBytes(StandardCharsets.UTF_8));
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
