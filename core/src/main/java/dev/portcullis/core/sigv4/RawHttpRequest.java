package dev.portcullis.core.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/1.1 request in its wire form ({@code METHOD target HTTP/1.1}, header lines, blank line, body),
 * parsed leniently for tools and tests: {@code \n} or {@code \r\n} line ends, obsolete line folding,
 * spaces inside the target (as in AWS's test suite). Parsing is pure; reading the bytes is the caller's job.
 *
 * @param method   the method
 * @param rawPath  the path of the target, as written
 * @param rawQuery the query of the target, as written, or {@code null}
 * @param headers  header names as written → values in order
 * @param body     the body bytes (empty when none)
 */
public record RawHttpRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                             byte[] body) {

    /** Largest request head accepted, in bytes. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    /**
     * Parses a request.
     *
     * @throws IllegalArgumentException when the bytes are not an HTTP request (the message says why)
     */
    public static RawHttpRequest parse(byte[] bytes) {
        int headEnd = -1;
        int bodyStart = bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                if (i + 1 < bytes.length && bytes[i + 1] == '\n') {
                    headEnd = i;
                    bodyStart = i + 2;
                    break;
                }
                if (i + 2 < bytes.length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                    headEnd = i;
                    bodyStart = i + 3;
                    break;
                }
            }
        }
        if (headEnd < 0) {
            headEnd = bytes.length;
        }
        if (headEnd > MAX_HEAD_BYTES) {
            throw new IllegalArgumentException("request head is larger than " + MAX_HEAD_BYTES + " bytes");
        }
        String head = new String(bytes, 0, headEnd, StandardCharsets.UTF_8);
        String[] lines = head.split("\r?\n", -1);
        String requestLine = lines[0].strip();
        int sp = requestLine.indexOf(' ');
        if (sp <= 0) {
            throw new IllegalArgumentException("not an HTTP request line: '" + requestLine + "'");
        }
        String method = requestLine.substring(0, sp);
        String target = requestLine.substring(sp + 1);
        int last = target.lastIndexOf(' ');
        if (last >= 0 && target.substring(last + 1).startsWith("HTTP/")) {
            target = target.substring(0, last);
        }
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("the request line has no target");
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);

        Map<String, List<String>> headers = new LinkedHashMap<>();
        String lastName = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
                List<String> values = headers.get(lastName);
                int idx = values.size() - 1;
                values.set(idx, values.get(idx) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a header line: '" + line + "'");
            }
            lastName = line.substring(0, colon);
            headers.computeIfAbsent(lastName, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        headers.forEach((k, v) -> frozen.put(k, Collections.unmodifiableList(v)));
        return new RawHttpRequest(method, path, query, Collections.unmodifiableMap(frozen),
                Arrays.copyOfRange(bytes, Math.min(bodyStart, bytes.length), bytes.length));
    }

    /** This request as the verifier's view. */
    public SigV4Request toSigV4Request() {
        return SigV4Request.of(method, rawPath, rawQuery, HeaderSource.of(headers), body);
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
        return "RawHttpRequest[" + method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery) + "]";
    }
}
