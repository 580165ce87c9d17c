package dev.portcullis.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One line of a node's chain:
 * <pre>{"event":{…},"hash":"…","kind":"event","node":"n1","prev":"…","seq":42,"time":"…"}</pre>
 * {@code hash} is the hex SHA-256 of the canonical JSON of the record without its {@code hash}
 * field (so it covers {@code prev}, chaining the record to its predecessor); the body field is
 * named after the kind. {@link #line()} is the exact text a sink stores.
 */
public record ChainRecord(Kind kind, String nodeId, long seq, Instant time, String prevHash, ObjectNode body,
        String hash, String line) {

    /** What a record is. */
    public enum Kind {
        /** An audit event ({@code body} is the event's JSON). */
        event,
        /** A node (re)started and continued its chain; {@code body} says from where. */
        restart,
        /** A signed digest over the records since the previous digest. */
        digest
    }

    /** The {@code prev} of a chain's first record. */
    public static final String GENESIS = "0".repeat(64);

    public ChainRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(prevHash, "prevHash");
    }

    @Override
    public ObjectNode body() {
        if (body != null) {
            return body.deepCopy();
        }
        try {
            return (ObjectNode) CanonicalJson.parse(line).get(kind.name());
        } catch (IOException e) {
            throw new IllegalStateException("a sealed record's own line is valid JSON", e);
        }
    }

    /** Builds and hashes a new record; the record takes {@code body} over (callers pass a fresh node and drop it). */
    public static ChainRecord seal(Kind kind, String nodeId, long seq, Instant time, String prevHash, ObjectNode body) {
        // Hot path (the writer thread, once per record): the body is serialised once and the top level is
        // assembled by hand in canonical key order, giving exactly the bytes CanonicalJson produces for
        // the parsed record (node ids, hashes and ISO times need no escaping). Tests pin the equivalence.
        return sealJson(kind, nodeId, seq, time, prevHash, CanonicalJson.string(body), body);
    }

    /** {@link #seal} for a body already in canonical JSON; a null {@code body} is parsed from the line when asked for. */
    static ChainRecord sealJson(Kind kind, String nodeId, long seq, Instant time, String prevHash, String bodyJson,
            ObjectNode body) {
        if (!safeText(nodeId) || !safeText(prevHash)) {
            throw new IllegalArgumentException("node id and previous hash must be plain ASCII identifiers");
        }
        String hash = sha256Hex(utf8(topLevel(kind, nodeId, seq, time, prevHash, bodyJson, null)));
        String line = topLevel(kind, nodeId, seq, time, prevHash, bodyJson, hash);
        return new ChainRecord(kind, nodeId, seq, time, prevHash, body, hash, line);
    }

    /**
     * Seals an event record from a {@link PreparedEvent}: hashes only the position-dependent suffix
     * (the body was serialised and hashed when the event was prepared). Equal, byte for byte, to
     * {@code seal(Kind.event, …, body)}; tests pin it.
     */
    static ChainRecord sealPrepared(String nodeId, long seq, Instant time, String prevHash, PreparedEvent prepared) {
        if (!safeText(nodeId) || !safeText(prevHash)) {
            throw new IllegalArgumentException("node id and previous hash must be plain ASCII identifiers");
        }
        String body = prepared.bodyJson();
        String suffix = new StringBuilder(160).append("\"kind\":\"event\",\"node\":\"").append(nodeId)
                .append("\",\"prev\":\"").append(prevHash).append("\",\"seq\":").append(seq)
                .append(",\"time\":\"").append(dev.portcullis.audit.event.IsoInstant.format(time)).append("\"}").toString();
        String hash = prepared.hashWith(suffix);
        String line = new StringBuilder(body.length() + suffix.length() + 96).append("{\"event\":").append(body)
                .append(",\"hash\":\"").append(hash).append("\",").append(suffix).toString();
        return new ChainRecord(Kind.event, nodeId, seq, time, prevHash, null, hash, line);
    }

    /** Whether {@code s} matches {@code [A-Za-z0-9._-]+} (checked by hand: the writer checks two per record). */
    static boolean safeText(String s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Keys in canonical order: digest, event, hash, kind, node, prev, restart, seq, time. */
    private static String topLevel(Kind kind, String nodeId, long seq, Instant time, String prevHash, String bodyJson,
            String hash) {
        StringBuilder sb = new StringBuilder(bodyJson.length() + 256).append('{');
        if (kind != Kind.restart) {
            sb.append('"').append(kind.name()).append("\":").append(bodyJson).append(',');
        }
        if (hash != null) {
            sb.append("\"hash\":\"").append(hash).append("\",");
        }
        sb.append("\"kind\":\"").append(kind.name()).append("\",\"node\":\"").append(nodeId)
                .append("\",\"prev\":\"").append(prevHash).append("\",");
        if (kind == Kind.restart) {
            sb.append("\"restart\":").append(bodyJson).append(',');
        }
        return sb.append("\"seq\":").append(seq).append(",\"time\":\"").append(dev.portcullis.audit.event.IsoInstant.format(time)).append("\"}").toString();
    }

    /**
     * Reads a stored line. The stored {@code hash} is kept as found; {@link #computedHash()}
     * recomputes it for verification.
     *
     * @throws MalformedRecordException when the line is not a record (truncated, not JSON, a field missing)
     */
    public static ChainRecord parse(String line) throws MalformedRecordException {
        JsonNode n;
        try {
            n = CanonicalJson.parse(line);
        } catch (IOException e) {
            throw new MalformedRecordException("not a complete JSON record (truncated or corrupted)");
        }
        if (n == null || !n.isObject()) {
            throw new MalformedRecordException("not a JSON object");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(n.path("kind").asText());
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("unknown record kind '" + n.path("kind").asText() + "'");
        }
        JsonNode body = n.get(kind.name());
        if (body == null || !body.isObject() || !n.path("seq").canConvertToLong() || !n.hasNonNull("node")
                || !n.hasNonNull("prev") || !n.hasNonNull("hash") || !n.hasNonNull("time")) {
            throw new MalformedRecordException("record lacks kind, node, seq, time, prev, hash or its body");
        }
        Instant time;
        try {
            time = Instant.parse(n.get("time").asText());
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("time is not an ISO-8601 instant");
        }
        return new ChainRecord(kind, n.get("node").asText(), n.get("seq").asLong(), time, n.get("prev").asText(),
                (ObjectNode) body, n.get("hash").asText(), line);
    }

    /** The hash this record's content actually has (equal to {@link #hash()} unless it was altered). */
    public String computedHash() {
        try {
            ObjectNode n = (ObjectNode) CanonicalJson.parse(line);
            n.remove("hash");
            return sha256Hex(CanonicalJson.bytes(n));
        } catch (IOException | ClassCastException e) {
            return "";
        }
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    });

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(SHA256.get().digest(bytes));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
