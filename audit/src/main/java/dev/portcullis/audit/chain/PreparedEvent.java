package dev.portcullis.audit.chain;

import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.CanonicalEventWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An event made ready for chaining on the thread that recorded it, so that the chain's single writer
 * only links hashes. A record's hash is the SHA-256 of
 * <pre>{"event":BODY,"kind":"event","node":N,"prev":P,"seq":S,"time":T}</pre>
 * (its canonical JSON without {@code hash}); everything up to and including {@code BODY,} is known
 * before the record is chained, so it is serialised and fed to SHA-256 here, in parallel on the
 * request threads. {@link ChainRecord#sealPrepared} then hashes only the short suffix that depends on
 * the chain position. The stored records are byte-for-byte those {@link ChainRecord#seal} produces.
 *
 * <p>Immutable once built; {@link #hashWith} clones the prepared digest state, so one instance may be
 * chained more than once (benchmarks), but not from two threads at the same time.
 */
public final class PreparedEvent {

    private static final byte[] PREFIX = "{\"event\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final ThreadLocal<MessageDigest> FRESH = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    });

    private final AuditEvent event;
    private final byte[] body;
    private final MessageDigest prefixDigest;

    private PreparedEvent(AuditEvent event, byte[] body, MessageDigest prefixDigest) {
        this.event = event;
        this.body = body;
        this.prefixDigest = prefixDigest;
    }

    /** Serialises {@code event} canonically and hashes its record's position-independent prefix. */
    public static PreparedEvent of(AuditEvent event) {
        return CanonicalEventWriter.write(event, out -> {
            // The canonical bytes are hashed straight from the writer's buffer and kept, as UTF-8, for the
            // record's line (which the sink stores as bytes: no decoding to a String and encoding back).
            MessageDigest d = copy(FRESH.get());
            d.update(PREFIX);
            d.update(out.array(), 0, out.length());
            d.update((byte) ',');
            return new PreparedEvent(event, java.util.Arrays.copyOf(out.array(), out.length()), d);
        });
    }

    public AuditEvent event() {
        return event;
    }

    /** The event's canonical JSON as UTF-8 (the record's {@code event} member); not to be modified. */
    byte[] body() {
        return body;
    }

    /** The SHA-256 of the prefix followed by {@code suffix[0, length)} (ASCII: node ids, hashes, numbers, ISO times). */
    byte[] hashWith(byte[] suffix, int length) {
        MessageDigest d = copy(prefixDigest);
        d.update(suffix, 0, length);
        return d.digest();
    }

    private static MessageDigest copy(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
