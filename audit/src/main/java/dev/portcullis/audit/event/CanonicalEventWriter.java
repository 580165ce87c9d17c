package dev.portcullis.audit.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes an event's canonical JSON as UTF-8 bytes by hand: keys in {@link String#compareTo} order
 * (recursively), no whitespace, null fields omitted, and strings escaped exactly as Jackson's
 * {@code UTF8JsonGenerator} escapes them with its default settings ({@code \"}, {@code \\},
 * {@code \b \t \n \f \r}, other control characters and every UTF-16 surrogate as {@code \\uXXXX} with
 * upper-case hex, everything else as UTF-8). The audit chain hashes and signs these bytes, so they must
 * be exactly those of {@code CanonicalJson.bytes(EventJson.toJson(e))}, the definition that the
 * verifier re-computes from stored lines; tests compare the two over many random events.
 *
 * <p>It runs on the request thread once per request (the Jackson generator it replaces was the largest
 * audit cost there). Stateless; each call uses a buffer of its own thread.
 */
public final class CanonicalEventWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** For characters below 128: 0 = as is, -1 = generic {@code \\u00XX}, otherwise the letter after the backslash. */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int i = 0; i < 32; i++) {
            ESCAPES[i] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES[0x08] = 'b';
        ESCAPES[0x09] = 't';
        ESCAPES[0x0C] = 'f';
        ESCAPES[0x0A] = 'n';
        ESCAPES[0x0D] = 'r';
    }

    private static final ThreadLocal<Out> BUFFER = ThreadLocal.withInitial(Out::new);

    private CanonicalEventWriter() {}

    /**
     * Writes {@code e}'s canonical JSON into this thread's buffer and hands the buffer to {@code use}
     * (valid only during the call: copy what must outlive it).
     */
    public static <T> T write(AuditEvent e, Function<Out, T> use) {
        Out out = BUFFER.get();
        out.reset();
        event(out, e);
        T result = use.apply(out);
        out.shrinkIfHuge();
        return result;
    }

    /** The canonical JSON of {@code e} as UTF-8 bytes. */
    public static byte[] bytes(AuditEvent e) {
        return write(e, Out::toByteArray);
    }

    /** The canonical JSON of {@code e}. */
    public static String string(AuditEvent e) {
        return write(e, Out::toUtf8String);
    }

    /** The canonical JSON of a JSON tree (objects' keys sorted recursively), as UTF-8 bytes. */
    public static byte[] bytes(JsonNode node) {
        Out out = new Out();
        tree(out, node);
        return out.toByteArray();
    }

    /** A growable byte buffer. */
    public static final class Out {
        private byte[] buf = new byte[1024];
        private int len;

        public byte[] array() {
            return buf;
        }

        public int length() {
            return len;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }

        public String toUtf8String() {
            return new String(buf, 0, len, StandardCharsets.UTF_8);
        }

        void reset() {
            len = 0;
        }

        void shrinkIfHuge() {
            if (buf.length > 64 * 1024) {
                buf = new byte[1024]; // one huge event must not pin its buffer to the thread
            }
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        void ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
        }

        void raw(byte b) {
            ensure(1);
            buf[len++] = b;
        }

        /** A JSON string: quotes and Jackson's escaping. */
        void string(String s) {
            int n = s.length();
            ensure(n + 2);
            // Fast path, in locals (the loop then keeps them in registers): printable ASCII other than the
            // quote and the backslash is copied as is, one byte per character. Anything else ends it.
            byte[] b = buf;
            int at = len;
            b[at++] = '"';
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                    break;
                }
                b[at++] = (byte) c;
            }
            len = at;
            if (i < n) {
                escaped(s, i);
            }
            ensure(1);
            buf[len++] = '"';
        }

        /** The rest of a string from {@code i}, character by character, with Jackson's escaping. */
        private void escaped(String s, int i) {
            int n = s.length();
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c < 128) {
                    int esc = ESCAPES[c];
                    if (esc == 0) {
                        ensure(1);
                        buf[len++] = (byte) c;
                    } else if (esc > 0) {
                        ensure(2);
                        buf[len++] = '\\';
                        buf[len++] = (byte) esc;
                    } else {
                        unicodeEscape(c);
                    }
                } else if (c < 0x800) {
                    ensure(2);
                    buf[len++] = (byte) (0xC0 | (c >> 6));
                    buf[len++] = (byte) (0x80 | (c & 0x3F));
                } else if (c >= 0xD800 && c <= 0xDFFF) {
                    unicodeEscape(c); // Jackson escapes surrogates, paired or not, rather than combining them
                } else {
                    ensure(3);
                    buf[len++] = (byte) (0xE0 | (c >> 12));
                    buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }

        /** A whole number, as {@link Long#toString(long)} writes it. */
        void decimal(long v) {
            if (v < 0) {
                ascii(Long.toString(v)); // latencies are not negative; kept exact anyway
                return;
            }
            ensure(20);
            int digits = 1;
            for (long rest = v / 10; rest > 0; rest /= 10) {
                digits++;
            }
            int at = len + digits;
            len = at;
            do {
                buf[--at] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v > 0);
        }

        /** An instant as a JSON string, as {@link IsoInstant#format(java.time.Instant)} writes it. */
        void instant(java.time.Instant t) {
            ensure(IsoInstant.MAX_LENGTH + 2);
            buf[len] = '"';
            int end = IsoInstant.format(t, buf, len + 1);
            if (end < 0) {
                string(t.toString()); // before 1970 or after 9999
                return;
            }
            buf[end] = '"';
            len = end + 1;
        }

        private void unicodeEscape(char c) {
            ensure(6);
            buf[len++] = '\\';
            buf[len++] = 'u';
            buf[len++] = HEX[(c >> 12) & 0xF];
            buf[len++] = HEX[(c >> 8) & 0xF];
            buf[len++] = HEX[(c >> 4) & 0xF];
            buf[len++] = HEX[c & 0xF];
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }
    }

    // ---- the event ----------------------------------------------------------------------

    /** {@code "name":} as bytes, for the event's fixed member names (plain ASCII, nothing to escape). */
    private static byte[] key(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                throw new IllegalArgumentException("not a plain member name: " + name);
            }
        }
        return ("\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACCESS_KEY_ID = key("accessKeyId");
    private static final byte[] ACCOUNT_ID = key("accountId");
    private static final byte[] ARN = key("arn");
    private static final byte[] ATTRIBUTES = key("attributes");
    private static final byte[] AWS_REGION = key("awsRegion");
    private static final byte[] CORRELATION_ID = key("correlationId");
    private static final byte[] CREATION_DATE = key("creationDate");
    private static final byte[] DECISION = key("decision");
    private static final byte[] DECISIVE_STATEMENTS = key("decisiveStatements");
    private static final byte[] ERROR_CODE = key("errorCode");
    private static final byte[] ERROR_MESSAGE = key("errorMessage");
    private static final byte[] EVENT_ID = key("eventId");
    private static final byte[] EVENT_NAME = key("eventName");
    private static final byte[] EVENT_SOURCE = key("eventSource");
    private static final byte[] EVENT_TIME = key("eventTime");
    private static final byte[] EVENT_VERSION = key("eventVersion");
    private static final byte[] INVOKED_BY = key("invokedBy");
    private static final byte[] LATENCY_MICROS = key("latencyMicros");
    private static final byte[] MFA_AUTHENTICATED = key("mfaAuthenticated");
    private static final byte[] OUTCOME = key("outcome");
    private static final byte[] PRINCIPAL_ID = key("principalId");
    private static final byte[] READ_ONLY = key("readOnly");
    private static final byte[] REPORT_ONLY = key("reportOnly");
    private static final byte[] REQUEST_ID = key("requestID");
    private static final byte[] REQUEST_PARAMETERS = key("requestParameters");
    private static final byte[] RESPONSE_ELEMENTS = key("responseElements");
    private static final byte[] SESSION_CONTEXT = key("sessionContext");
    private static final byte[] SESSION_ISSUER = key("sessionIssuer");
    private static final byte[] SOURCE_IP_ADDRESS = key("sourceIPAddress");
    private static final byte[] TYPE = key("type");
    private static final byte[] USER_AGENT = key("userAgent");
    private static final byte[] USER_IDENTITY = key("userIdentity");
    private static final byte[] USER_NAME = key("userName");

    /** Tracks whether a member was written, for the commas. */
    private static final class Members {
        private final Out out;
        private boolean first = true;

        Members(Out out) {
            this.out = out;
            out.raw((byte) '{');
        }

        /** A member named by a JSON tree's key (escaped like any string). */
        Out name(String name) {
            if (!first) {
                out.raw((byte) ',');
            }
            first = false;
            out.string(name);
            out.raw((byte) ':');
            return out;
        }

        /** A member with a fixed name ({@link #key}). */
        Out name(byte[] key) {
            if (!first) {
                out.raw((byte) ',');
            }
            first = false;
            out.bytes(key);
            return out;
        }

        void string(byte[] key, String value) {
            if (value != null) {
                name(key).string(value);
            }
        }

        void instant(byte[] key, java.time.Instant value) {
            if (value != null) {
                name(key).instant(value);
            }
        }

        void bool(byte[] key, boolean value) {
            name(key).bytes(value ? TRUE : FALSE);
        }

        void tree(byte[] key, JsonNode value) {
            if (value != null) {
                CanonicalEventWriter.tree(name(key), value);
            }
        }

        void end() {
            out.raw((byte) '}');
        }
    }

    // Keys in String.compareTo order, as CanonicalJson sorts them; null fields are omitted, as EventJson omits them.
    private static void event(Out out, AuditEvent e) {
        Members m = new Members(out);
        m.string(AWS_REGION, e.awsRegion());
        m.string(CORRELATION_ID, e.correlationId());
        if (e.decision() != null) {
            Decision d = e.decision();
            Out o = m.name(DECISION);
            Members dm = new Members(o);
            Out list = dm.name(DECISIVE_STATEMENTS);
            list.raw((byte) '[');
            List<String> statements = d.decisiveStatements();
            for (int i = 0; i < statements.size(); i++) {
                if (i > 0) {
                    list.raw((byte) ',');
                }
                list.string(statements.get(i));
            }
            list.raw((byte) ']');
            dm.string(OUTCOME, d.outcome().name());
            dm.bool(REPORT_ONLY, d.reportOnly());
            dm.end();
        }
        m.string(ERROR_CODE, e.errorCode());
        m.string(ERROR_MESSAGE, e.errorMessage());
        m.string(EVENT_ID, e.eventId());
        m.string(EVENT_NAME, e.eventName());
        m.string(EVENT_SOURCE, e.eventSource());
        m.instant(EVENT_TIME, e.eventTime());
        m.string(EVENT_VERSION, e.eventVersion());
        m.name(LATENCY_MICROS).decimal(e.latencyMicros());
        m.bool(READ_ONLY, e.readOnly());
        m.string(REQUEST_ID, e.requestId());
        m.tree(REQUEST_PARAMETERS, e.rawRequestParameters());
        m.tree(RESPONSE_ELEMENTS, e.rawResponseElements());
        m.string(SOURCE_IP_ADDRESS, e.sourceIPAddress());
        m.string(USER_AGENT, e.userAgent());
        if (e.userIdentity() != null) {
            identity(m.name(USER_IDENTITY), e.userIdentity());
        }
        m.end();
    }

    // accessKeyId, accountId, arn, invokedBy, principalId, sessionContext, type
    private static void identity(Out out, UserIdentity u) {
        Members m = new Members(out);
        m.string(ACCESS_KEY_ID, u.accessKeyId());
        m.string(ACCOUNT_ID, u.accountId());
        m.string(ARN, u.arn());
        m.string(INVOKED_BY, u.invokedBy());
        m.string(PRINCIPAL_ID, u.principalId());
        if (u.sessionContext() != null) {
            UserIdentity.SessionContext c = u.sessionContext();
            Members sc = new Members(m.name(SESSION_CONTEXT));
            // attributes, sessionIssuer
            Members attributes = new Members(sc.name(ATTRIBUTES));
            attributes.instant(CREATION_DATE, c.creationDate());
            attributes.string(MFA_AUTHENTICATED, c.mfaAuthenticated() == null ? null : c.mfaAuthenticated().toString());
            attributes.end();
            if (c.sessionIssuer() != null) {
                UserIdentity.SessionIssuer i = c.sessionIssuer();
                // accountId, arn, principalId, type, userName
                Members issuer = new Members(sc.name(SESSION_ISSUER));
                issuer.string(ACCOUNT_ID, i.accountId());
                issuer.string(ARN, i.arn());
                issuer.string(PRINCIPAL_ID, i.principalId());
                issuer.string(TYPE, i.type());
                issuer.string(USER_NAME, i.userName());
                issuer.end();
            }
            sc.end();
        }
        m.string(TYPE, u.type());
        m.end();
    }

    // ---- JSON trees (request parameters, response elements) ------------------------------

    private static void tree(Out out, JsonNode n) {
        if (n.isObject() && namesInOrder(n)) {
            // Already in canonical order (the gateway builds its parameters so): no sorting, no look-ups.
            Members m = new Members(out);
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                tree(m.name(member.getKey()), member.getValue());
            }
            m.end();
        } else if (n.isObject()) {
            List<String> names = new ArrayList<>(n.size());
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.sort(names);
            Members m = new Members(out);
            for (String name : names) {
                tree(m.name(name), n.get(name));
            }
            m.end();
        } else if (n.isArray()) {
            out.raw((byte) '[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    out.raw((byte) ',');
                }
                tree(out, n.get(i));
            }
            out.raw((byte) ']');
        } else if (n.isTextual()) {
            out.string(n.textValue());
        } else if (n.isIntegralNumber()) {
            BigInteger big = n.canConvertToLong() ? null : n.bigIntegerValue();
            out.ascii(big == null ? Long.toString(n.longValue()) : big.toString());
        } else if (n.isNumber()) {
            out.ascii(n.decimalValue().toString()); // Jackson writes BigDecimal with toString()
        } else if (n.isBoolean()) {
            out.ascii(n.booleanValue() ? "true" : "false");
        } else if (n.isNull() || n.isMissingNode()) {
            out.ascii("null");
        } else {
            // Binary and POJO nodes never occur in events (the redactor replaces binary values); kept exact anyway.
            out.bytes(JacksonFallback.canonical(n));
        }
    }

    /** Whether an object's member names come in {@link String#compareTo} order (they are distinct). */
    private static boolean namesInOrder(JsonNode object) {
        String previous = null;
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (previous != null && previous.compareTo(name) >= 0) {
                return false;
            }
            previous = name;
        }
        return true;
    }

    /** Jackson's own rendering, for node types the writer does not handle itself. */
    private static final class JacksonFallback {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static byte[] canonical(JsonNode n) {
            try {
                return MAPPER.writeValueAsBytes(n);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a JSON node that cannot be written", e);
            }
        }
    }
}
