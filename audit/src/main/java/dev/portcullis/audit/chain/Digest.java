package dev.portcullis.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A digest: it covers records {@code firstSeq..lastSeq} of node {@code nodeId} (every record
 * since the previous digest), names the hash of record {@code lastSeq} as the chain head, carries
 * the previous digest's signature (empty for a chain's first digest) and is signed with Ed25519.
 * The signature covers {@link #signedBytes()}: the canonical JSON of every field here but the
 * signature, including the digest's own position ({@code seq}, {@code time}).
 */
public record Digest(String nodeId, long seq, Instant time, long firstSeq, long lastSeq, long count, String headHash,
        Instant firstTime, Instant lastTime, String previousSignature, String keyId, String signature) {

    /** The bytes the signature covers. */
    public byte[] signedBytes() {
        ObjectNode n = unsignedBody();
        n.put("node", nodeId);
        n.put("seq", seq);
        n.put("time", time.toString());
        return CanonicalJson.bytes(n);
    }

    /** Whether {@link #signature()} is a valid Ed25519 signature of {@link #signedBytes()} under {@code key}. */
    public boolean signatureVerifies(PublicKey key) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signedBytes());
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    Digest withSignature(String keyId, String signature) {
        return new Digest(nodeId, seq, time, firstSeq, lastSeq, count, headHash, firstTime, lastTime,
                previousSignature, keyId, signature);
    }

    /** The body stored in the digest record. */
    public ObjectNode body() {
        ObjectNode n = unsignedBody();
        n.put("signature", signature);
        return n;
    }

    private ObjectNode unsignedBody() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("firstSeq", firstSeq);
        n.put("lastSeq", lastSeq);
        n.put("count", count);
        n.put("headHash", headHash);
        n.put("firstTime", firstTime.toString());
        n.put("lastTime", lastTime.toString());
        n.put("previousSignature", previousSignature);
        n.put("keyId", keyId);
        return n;
    }

    /**
     * The digest held by a digest record.
     *
     * @throws MalformedRecordException when the record is not a digest or lacks a field
     */
    public static Digest of(ChainRecord record) throws MalformedRecordException {
        if (record.kind() != ChainRecord.Kind.digest) {
            throw new MalformedRecordException("record " + record.seq() + " is not a digest");
        }
        JsonNode b = record.body();
        for (String f : new String[] {"firstSeq", "lastSeq", "count", "headHash", "firstTime", "lastTime",
                "previousSignature", "keyId", "signature"}) {
            if (!b.hasNonNull(f)) {
                throw new MalformedRecordException("digest " + record.seq() + " has no " + f);
            }
        }
        try {
            return new Digest(record.nodeId(), record.seq(), record.time(), b.get("firstSeq").asLong(),
                    b.get("lastSeq").asLong(), b.get("count").asLong(), b.get("headHash").asText(),
                    Instant.parse(b.get("firstTime").asText()), Instant.parse(b.get("lastTime").asText()),
                    b.get("previousSignature").asText(), b.get("keyId").asText(), b.get("signature").asText());
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("digest " + record.seq() + " has a malformed time");
        }
    }
}
