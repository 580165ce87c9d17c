package dev.portcullis.server.query;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes Query-protocol XML: {@code <ActionResponse xmlns=…><ActionResult>…</ActionResult>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></ActionResponse>} and the
 * {@code ErrorResponse} document. A small append-only builder: responses are small and this keeps the
 * request path free of DOM or reflection.
 *
 * <p>Not thread-safe; one instance per response.
 */
public final class QueryXml {

    private final StringBuilder out = new StringBuilder(512);

    private QueryXml() {
    }

    /** Starts {@code <ActionResponse xmlns="namespace"><ActionResult>}. */
    public static QueryXml response(String action, String namespace) {
        QueryXml xml = new QueryXml();
        xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(action).append("Response xmlns=\"")
                .append(namespace).append("\">\n  <").append(action).append("Result>\n");
        return xml;
    }

    public QueryXml start(String element) {
        out.append('<').append(element).append('>');
        return this;
    }

    public QueryXml end(String element) {
        out.append("</").append(element).append(">\n");
        return this;
    }

    /** {@code <name>value</name>}, escaped; nothing at all when the value is null (absent member). */
    public QueryXml element(String name, String value) {
        if (value != null) {
            out.append('<').append(name).append('>');
            escape(value);
            out.append("</").append(name).append(">\n");
        }
        return this;
    }

    public QueryXml element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    public QueryXml element(String name, long value) {
        return element(name, Long.toString(value));
    }

    /** An ISO-8601 timestamp in UTC, seconds precision, as IAM prints them ({@code 2026-11-23T10:00:00Z}). */
    public QueryXml element(String name, Instant value) {
        return value == null ? this : element(name, value.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** Closes the result, adds the response metadata and closes the document. */
    public String finish(String action, String requestId) {
        out.append("  </").append(action).append("Result>\n  <ResponseMetadata>\n    <RequestId>");
        escape(requestId);
        out.append("</RequestId>\n  </ResponseMetadata>\n</").append(action).append("Response>\n");
        return out.toString();
    }

    /** A response with no result members (e.g. {@code DeleteUser}): only the metadata. */
    public static String empty(String action, String namespace, String requestId) {
        QueryXml xml = new QueryXml();
        xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(action).append("Response xmlns=\"")
                .append(namespace).append("\">\n  <ResponseMetadata>\n    <RequestId>");
        xml.escape(requestId);
        xml.out.append("</RequestId>\n  </ResponseMetadata>\n</").append(action).append("Response>\n");
        return xml.out.toString();
    }

    /** The {@code ErrorResponse} document the SDKs parse into {@code AwsServiceException}. */
    public static String error(QueryException error, String namespace, String requestId) {
        QueryXml xml = new QueryXml();
        xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"").append(namespace)
                .append("\">\n  <Error>\n    ");
        xml.element("Type", error.type());
        xml.out.append("    ");
        xml.element("Code", error.code());
        xml.out.append("    ");
        xml.element("Message", error.getMessage());
        xml.out.append("  </Error>\n  ");
        xml.element("RequestId", requestId);
        xml.out.append("</ErrorResponse>\n");
        return xml.out.toString();
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                default -> {
                    // XML 1.0 cannot carry most control characters at all; replace rather than emit an
                    // unparseable document.
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
