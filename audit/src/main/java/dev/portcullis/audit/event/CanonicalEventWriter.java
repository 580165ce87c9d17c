package dev.portcullis.audit.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
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
            buf[len++] = '"';
            int i = 0;
            // Fast path: plain ASCII needs no escaping and one byte per character.
            while (i < n) {
                char c = s.charAt(i);
                if (c >= 128 || ESCAPES[c] != 0) {
                    break;
                }
                buf[len++] = (byte) c;
                i++;
            }
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
            ensure(1);
            buf[len++] = '"';
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

    /** Tracks whether a member was written, for the commas. */
    private static final class Members {
        private final Out out;
        private boolean first = true;

        Members(Out out) {
            this.out = out;
            out.raw((byte) '{');
        }

        Out name(String name) {
            if (!first) {
                out.raw((byte) ',');
            }
            first = false;
            out.string(name);
            out.raw((byte) ':');
            return out;
        }

        void string(String name, String value) {
            if (value != null) {
                name(name).string(value);
            }
        }

        void bool(String name, boolean value) {
            name(name).ascii(value ? "true" : "false");
        }

        void tree(String name, JsonNode value) {
            if (value != null) {
                CanonicalEventWriter.tree(name(name), value);
            }
        }

        void end() {
            out.raw((byte) '}');
        }
    }

    // Keys in String.compareTo order, as CanonicalJson sorts them; null fields are omitted, as EventJson omits them.
    private static void event(Out out, AuditEvent e) {
        Members m = new Members(out);
        m.string("awsRegion", e.awsRegion());
        m.string("correlationId", e.correlationId());
        if (e.decision() != null) {
            Decision d = e.decision();
            Out o = m.name("decision");
            Members dm = new Members(o);
            Out list = dm.name("decisiveStatements");
            list.raw((byte) '[');
            List<String> statements = d.decisiveStatements();
            for (int i = 0; i < statements.size(); i++) {
                if (i > 0) {
                    list.raw((byte) ',');
                }
                list.string(statements.get(i));
            }
            list.raw((byte) ']');
            dm.string("outcome", d.outcome().name());
            dm.bool("reportOnly", d.reportOnly());
            dm.end();
        }
        m.string("errorCode", e.errorCode());
        m.string("errorMessage", e.errorMessage());
        m.string("eventId", e.eventId());
        m.string("eventName", e.eventName());
        m.string("eventSource", e.eventSource());
        m.string("eventTime", IsoInstant.format(e.eventTime()));
        m.string("eventVersion", e.eventVersion());
        m.name("latencyMicros").ascii(Long.toString(e.latencyMicros()));
        m.bool("readOnly", e.readOnly());
        m.string("requestID", e.requestId());
        m.tree("requestParameters", e.rawRequestParameters());
        m.tree("responseElements", e.rawResponseElements());
        m.string("sourceIPAddress", e.sourceIPAddress());
        m.string("userAgent", e.userAgent());
        if (e.userIdentity() != null) {
            identity(m.name("userIdentity"), e.userIdentity());
        }
        m.end();
    }

    // accessKeyId, accountId, arn, invokedBy, principalId, sessionContext, type
    private static void identity(Out out, UserIdentity u) {
        Members m = new Members(out);
        m.string("accessKeyId", u.accessKeyId());
        m.string("accountId", u.accountId());
        m.string("arn", u.arn());
        m.string("invokedBy", u.invokedBy());
        m.string("principalId", u.principalId());
        if (u.sessionContext() != null) {
            UserIdentity.SessionContext c = u.sessionContext();
            Members sc = new Members(m.name("sessionContext"));
            // attributes, sessionIssuer
            Members attributes = new Members(sc.name("attributes"));
            attributes.string("creationDate", c.creationDate() == null ? null : IsoInstant.format(c.creationDate()));
            attributes.string("mfaAuthenticated", c.mfaAuthenticated() == null ? null : c.mfaAuthenticated().toString());
            attributes.end();
            if (c.sessionIssuer() != null) {
                UserIdentity.SessionIssuer i = c.sessionIssuer();
                // accountId, arn, principalId, type, userName
                Members issuer = new Members(sc.name("sessionIssuer"));
                issuer.string("accountId", i.accountId());
                issuer.string("arn", i.arn());
                issuer.string("principalId", i.principalId());
                issuer.string("type", i.type());
                issuer.string("userName", i.userName());
                issuer.end();
            }
            sc.end();
        }
        m.string("type", u.type());
        m.end();
    }

    // ---- JSON trees (request parameters, response elements) ------------------------------

    private static void tree(Out out, JsonNode n) {
        if (n.isObject()) {
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
