package dev.portcullis.audit.verify;

/**
 * The first record of a node's chain that does not verify: where it is stored, its sequence
 * number (-1 when it cannot be read), what kind of tampering it shows and a sentence saying why.
 */
public record Problem(String nodeId, String location, long seq, Kind kind, String message) {

    /** What the evidence shows. */
    public enum Kind {
        /** The line is not a complete record (truncated or corrupted). */
        MALFORMED,
        /** The record's content no longer matches its hash. */
        EDITED,
        /** Records are missing from the sequence. */
        DELETED,
        /** A record appears that does not belong at this place (a repeated or foreign record). */
        INSERTED,
        /** Records are out of order. */
        REORDERED,
        /** The record does not link to the hash of the record before it. */
        CHAIN_BROKEN,
        /** A digest's signature does not verify under the public key. */
        BAD_SIGNATURE,
        /** A digest's range, count, head hash or link to the previous digest is wrong. */
        BAD_DIGEST
    }

    @Override
    public String toString() {
        return "node " + nodeId + ", " + location + (seq >= 0 ? " (seq " + seq + ")" : "") + ": " + kind + " - " + message;
    }
}
