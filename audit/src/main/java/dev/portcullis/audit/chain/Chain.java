package dev.portcullis.audit.chain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.AuditEvent;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Appends to one node's chain: assigns sequence numbers, links each record to the previous
 * record's hash, and builds signed digests. Not thread-safe: owned by the single writer thread
 * of the recorder. Records are timestamped with the clock time at which they are chained, so
 * record times (unlike event times, which come from concurrent requests) never go backwards
 * within a digest's range.
 */
public final class Chain {

    private final String nodeId;
    private final AuditSigningKey key;
    private long nextSeq;
    private String head;
    private String previousSignature;
    private long firstUndigested;
    private Instant firstUndigestedTime;
    private Instant lastTime;

    private Chain(String nodeId, AuditSigningKey key) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.key = Objects.requireNonNull(key, "key");
        if (!ChainRecord.safeText(nodeId)) {
            throw new IllegalArgumentException("node id must be a plain ASCII identifier");
        }
    }

    /**
     * Continues the chain that ends at {@code tail} (a new chain when the tail is empty).
     *
     * @throws IllegalArgumentException when the node id, or the hash the tail ends with, is not a plain ASCII
     *     identifier (they go into every record's line unescaped; checked here once, not per record)
     */
    public static Chain resume(String nodeId, AuditSigningKey key, ChainTail tail) {
        Chain c = new Chain(nodeId, key);
        c.nextSeq = tail.last().map(r -> r.seq() + 1).orElse(1L);
        c.head = tail.last().map(ChainRecord::hash).orElse(ChainRecord.GENESIS);
        if (!ChainRecord.safeText(c.head)) {
            throw new IllegalArgumentException("the chain's last record has a malformed hash");
        }
        c.lastTime = tail.last().map(ChainRecord::time).orElse(null);
        c.previousSignature = tail.lastDigest().map(Digest::signature).orElse("");
        c.firstUndigested = tail.lastDigest().map(d -> d.seq() + 1).orElse(1L);
        c.firstUndigestedTime = c.firstUndigested < c.nextSeq ? tail.firstUndigestedTime().orElse(null) : null;
        return c;
    }

    /** Serialises, hashes and chains {@code event} on this thread; see {@link #append(PreparedEvent, Instant)}. */
    public ChainRecord append(AuditEvent event, Instant now) {
        return append(PreparedEvent.of(event), now);
    }

    /**
     * Chains an event prepared on another thread: only the position-dependent suffix of the record is
     * hashed here (the writer thread's share of an event).
     */
    public ChainRecord append(PreparedEvent event, Instant now) {
        Instant time = later(now);
        // nodeId and head were checked when the chain was resumed; later heads are this chain's own hex hashes.
        return advance(ChainRecord.sealPreparedChecked(nodeId, nextSeq, time, head, event), time);
    }

    /** The marker written when a node starts on an existing chain. */
    public ChainRecord restart(Instant now, String reason, long discardedBytes) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("reason", reason);
        body.put("resumedAfterSeq", nextSeq - 1);
        body.put("undigestedRecords", nextSeq - firstUndigested);
        body.put("discardedBytes", discardedBytes);
        body.put("keyId", key.keyId());
        return link(ChainRecord.Kind.restart, now, body);
    }

    /** Records chained since the last digest. */
    public long undigested() {
        return nextSeq - firstUndigested;
    }

    /** The next digest, covering every record since the previous one; call only when {@link #undigested()} > 0. */
    public ChainRecord digest(Instant now) {
        if (undigested() == 0) {
            throw new IllegalStateException("nothing to digest");
        }
        Instant time = later(now);
        Digest unsigned = new Digest(nodeId, nextSeq, time, firstUndigested, nextSeq - 1, nextSeq - firstUndigested,
                head, firstUndigestedTime == null ? lastTime : firstUndigestedTime, lastTime, previousSignature,
                key.keyId(), "");
        String signature = Base64.getEncoder().encodeToString(key.sign(unsigned.signedBytes()));
        Digest signed = unsigned.withSignature(key.keyId(), signature);
        ChainRecord record = link(ChainRecord.Kind.digest, time, signed.body());
        previousSignature = signature;
        firstUndigested = nextSeq;
        firstUndigestedTime = null;
        return record;
    }

    public String nodeId() {
        return nodeId;
    }

    public long nextSeq() {
        return nextSeq;
    }

    private ChainRecord link(ChainRecord.Kind kind, Instant now, ObjectNode body) {
        Instant time = later(now);
        return advance(ChainRecord.seal(kind, nodeId, nextSeq, time, head, body), time);
    }

    private ChainRecord advance(ChainRecord r, Instant time) {
        ChainRecord.Kind kind = r.kind();
        if (firstUndigestedTime == null && kind != ChainRecord.Kind.digest) {
            firstUndigestedTime = time;
        }
        nextSeq++;
        head = r.hash();
        lastTime = time;
        return r;
    }

    private Instant later(Instant now) {
        return lastTime != null && now.isBefore(lastTime) ? lastTime : now;
    }
}
