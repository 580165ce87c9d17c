package dev.portcullis.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.IsoInstant;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a node's chain:
 * <pre>{"event":{…},"hash":"…","kind":"event","node":"n1","prev":"…","seq":42,"time":"…"}</pre>
 * {@code hash} is the hex SHA-256 of the canonical JSON of the record without its {@code hash}
 * field (so it covers {@code prev}, chaining the record to its predecessor); the body field is
 * named after the kind. {@link #line()} is the exact text a sink stores, {@link #writeLine} the
 * same as UTF-8.
 *
 * <p>Immutable (a class rather than a record since the line is kept in whichever form it was made in,
 * UTF-8 bytes on the writer's hot path or text when parsed, and the other form is derived on demand).
 * Two records are equal when their lines are.
 */
public final class ChainRecord {

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

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_OPEN = "{\"event\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH_OPEN = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Suffixes of records chained on this thread are assembled here (the writer's, once per event). */
    private static final ThreadLocal<byte[]> SUFFIX = ThreadLocal.withInitial(() -> new byte[512]);

    private final Kind kind;
    private final String nodeId;
    private final long seq;
    private final Instant time;
    private final String prevHash;
    private final ObjectNode body;
    private final String hash;
    /** The event's own time for an event record sealed here; null when parsed (or not an event). */
    private final Instant eventTime;
    private String line;
    /** The line as UTF-8 when made from text: {@code {"event":}, then {@code head}, then {@code tail}, otherwise. */
    private byte[] utf8;
    private final byte[] head;
    private final byte[] tail;

    public ChainRecord(Kind kind, String nodeId, long seq, Instant time, String prevHash, ObjectNode body,
            String hash, String line) {
        this(kind, nodeId, seq, time, prevHash, body, hash, Objects.requireNonNull(line, "line"), null, null, null);
    }

    private ChainRecord(Kind kind, String nodeId, long seq, Instant time, String prevHash, ObjectNode body,
            String hash, String line, byte[] head, byte[] tail, Instant eventTime) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.seq = seq;
        this.time = Objects.requireNonNull(time, "time");
        this.prevHash = Objects.requireNonNull(prevHash, "prevHash");
        this.body = body;
        this.hash = hash;
        this.line = line;
        this.head = head;
        this.tail = tail;
        this.eventTime = eventTime;
    }

    public Kind kind() {
        return kind;
    }

    public String nodeId() {
        return nodeId;
    }

    public long seq() {
        return seq;
    }

    public Instant time() {
        return time;
    }

    public String prevHash() {
        return prevHash;
    }

    public String hash() {
        return hash;
    }

    /** The exact text a sink stores (without the line break). */
    public String line() {
        String l = line;
        if (l == null) {
            ByteBuffer b = ByteBuffer.allocate(lineLength());
            writeLine(b);
            l = new String(b.array(), StandardCharsets.UTF_8);
            line = l; // benign race: every thread computes the same immutable string
        }
        return l;
    }

    private byte[] utf8() {
        byte[] b = utf8;
        if (b == null) {
            b = line.getBytes(StandardCharsets.UTF_8);
            utf8 = b; // benign race, as in line()
        }
        return b;
    }

    /** The length of {@link #line()} in UTF-8 bytes. */
    public int lineLength() {
        return head != null ? EVENT_OPEN.length + head.length + tail.length : utf8().length;
    }

    /** Copies {@link #line()} as UTF-8 into {@code dst}, as {@link ByteBuffer#put(byte[])} does. */
    public void writeLine(ByteBuffer dst) {
        if (head != null) {
            dst.put(EVENT_OPEN).put(head).put(tail);
        } else {
            dst.put(utf8());
        }
    }

    /**
     * For an event record chained by this process, the event's {@code eventTime} (the one in its line,
     * known without reading the line); empty for parsed records and other kinds.
     */
    public Optional<Instant> knownEventTime() {
        return Optional.ofNullable(eventTime);
    }

    public ObjectNode body() {
        if (body != null) {
            return body.deepCopy();
        }
        try {
            return (ObjectNode) CanonicalJson.parse(line()).get(kind.name());
        } catch (IOException e) {
            throw new IllegalStateException("a sealed record's own line is valid JSON", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof ChainRecord r && kind == r.kind && seq == r.seq && Objects.equals(hash, r.hash)
                && line().equals(r.line());
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, seq, hash);
    }

    @Override
    public String toString() {
        return "ChainRecord[" + line() + "]";
    }

    /** Builds and hashes a new record; the record takes {@code body} over (callers pass a fresh node and drop it). */
    public static ChainRecord seal(Kind kind, String nodeId, long seq, Instant time, String prevHash, ObjectNode body) {
        // The body is serialised once and the top level is assembled by hand in canonical key order, giving
        // exactly the bytes CanonicalJson produces for the parsed record (node ids, hashes and ISO times
        // need no escaping). Tests pin the equivalence.
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
     * (the body was serialised and hashed when the event was prepared) and assembles the line as UTF-8
     * (the sink stores those bytes; the text is made only if asked for). Equal, byte for byte, to
     * {@code seal(Kind.event, …, body)}; tests pin it.
     */
    static ChainRecord sealPrepared(String nodeId, long seq, Instant time, String prevHash, PreparedEvent prepared) {
        if (!safeText(nodeId) || !safeText(prevHash)) {
            throw new IllegalArgumentException("node id and previous hash must be plain ASCII identifiers");
        }
        return sealPreparedChecked(nodeId, seq, time, prevHash, prepared);
    }

    /** {@link #sealPrepared} for a node id and previous hash that the caller has checked with {@link #safeText}. */
    static ChainRecord sealPreparedChecked(String nodeId, long seq, Instant time, String prevHash,
            PreparedEvent prepared) {
        // suffix = "kind":"event","node":N,"prev":P,"seq":S,"time":T}  (all ASCII)
        byte[] suffix = SUFFIX.get();
        int most = 80 + nodeId.length() + prevHash.length() + 48; // 48: any Instant.toString()
        if (most > suffix.length) {
            suffix = new byte[most]; // an unusually long node id: this record only
        }
        int n = bytes(suffix, 0, KIND_EVENT_NODE);
        n = ascii(suffix, n, nodeId);
        n = bytes(suffix, n, PREV);
        n = ascii(suffix, n, prevHash);
        n = bytes(suffix, n, SEQ);
        n = decimal(suffix, n, seq);
        n = bytes(suffix, n, TIME);
        int end = IsoInstant.format(time, suffix, n);
        n = end >= 0 ? end : ascii(suffix, n, time.toString()); // toString() only outside 1970-9999 (ASCII too)
        suffix[n++] = '"';
        suffix[n++] = '}';
        byte[] digest = prepared.hashWith(suffix, n);
        // line = {"event":BODY + TAIL, TAIL = ,"hash":"H",SUFFIX; kept in two parts (the body is shared with
        // the prepared event, not copied): the sink copies both straight into its buffer.
        byte[] tail = new byte[HASH_OPEN.length + 2 * digest.length + 2 + n];
        System.arraycopy(HASH_OPEN, 0, tail, 0, HASH_OPEN.length);
        int at = HASH_OPEN.length;
        for (byte b : digest) {
            tail[at++] = HEX[(b >> 4) & 0xF];
            tail[at++] = HEX[b & 0xF];
        }
        String hash = new String(tail, HASH_OPEN.length, 2 * digest.length, StandardCharsets.ISO_8859_1);
        tail[at++] = '"';
        tail[at++] = ',';
        System.arraycopy(suffix, 0, tail, at, n);
        return new ChainRecord(Kind.event, nodeId, seq, time, prevHash, null, hash, null, prepared.body(), tail,
                prepared.event().eventTime());
    }

    private static final byte[] KIND_EVENT_NODE = "\"kind\":\"event\",\"node\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREV = "\",\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME = ",\"time\":\"".getBytes(StandardCharsets.US_ASCII);

    private static int bytes(byte[] dst, int at, byte[] b) {
        System.arraycopy(b, 0, dst, at, b.length);
        return at + b.length;
    }

    /** Appends {@code Long.toString(v)} at {@code at}. */
    private static int decimal(byte[] dst, int at, long v) {
        if (v < 0) {
            return ascii(dst, at, Long.toString(v)); // sequence numbers start at 1; kept exact anyway
        }
        int digits = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    /** Appends ASCII {@code s} (node ids, hashes, numbers, ISO times: checked or made so) at {@code at}. */
    private static int ascii(byte[] dst, int at, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            dst[at + i] = (byte) s.charAt(i);
        }
        return at + n;
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
            ObjectNode n = (ObjectNode) CanonicalJson.parse(line());
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
