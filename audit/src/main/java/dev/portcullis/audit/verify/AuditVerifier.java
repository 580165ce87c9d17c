package dev.portcullis.audit.verify;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.Digest;
import dev.portcullis.audit.chain.MalformedRecordException;
import dev.portcullis.audit.chain.PublicKeys;
import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.audit.sink.StoredLine;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Recomputes every hash and signature of the stored chains. With a time range, each node's
 * check starts at its last digest at or before {@code from} (its signature anchors the chain)
 * and ends with its first digest at or after {@code to}; without one, from the first record to
 * the last. Stateless; each call streams the log once.
 */
public final class AuditVerifier {

    private final Map<String, PublicKey> keys = new LinkedHashMap<>();

    public AuditVerifier(PublicKey publicKey) {
        this(List.of(publicKey));
    }

    /**
     * A verifier accepting digests signed by any of {@code publicKeys} (in a cluster each node signs
     * its chain with its own key); each digest names the key id it was signed with.
     */
    public AuditVerifier(Collection<PublicKey> publicKeys) {
        if (publicKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one public key is needed");
        }
        for (PublicKey k : publicKeys) {
            keys.put(PublicKeys.keyId(k), k);
        }
    }

    private String given() {
        return keys.size() == 1 ? "the given public key " + keys.keySet().iterator().next()
                : "any of the given public keys " + keys.keySet();
    }

    /** Verifies every node in the log. */
    public VerificationResult verify(AuditLog log) throws AuditSinkException {
        return verify(log, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Verifies the selected node (all nodes when empty) within the time range (open ends when empty).
     */
    public VerificationResult verify(AuditLog log, Optional<String> node, Optional<Instant> from, Optional<Instant> to)
            throws AuditSinkException {
        List<NodeReport> reports = new ArrayList<>();
        for (String nodeId : node.map(List::of).orElse(log.nodes())) {
            OptionalLong anchor = from.isPresent() ? log.lastDigestAtOrBefore(nodeId, from.get()) : OptionalLong.empty();
            NodeCheck check = new NodeCheck(nodeId, anchor.orElse(0), to.orElse(null));
            log.scan(nodeId, Math.max(0, anchor.orElse(0) - 1), check::visit);
            reports.add(check.report());
        }
        return new VerificationResult(reports);
    }

    /** The state of one node's check as its lines stream past. */
    private final class NodeCheck {
        private final String nodeId;
        private final long anchorSeq;
        private final Instant to;
        private long expected;
        private String head = ChainRecord.GENESIS;
        private String previousSignature = "";
        private long lastDigestSeq;
        private Instant rangeFirstTime;
        private Instant lastTime;
        private long events, restarts, digests, firstSeq = -1, lastSeq = -1;
        private Problem problem;
        private Problem pendingGap; // seq jumped ahead: REORDERED if the missing record shows up later, else DELETED
        private boolean started;

        NodeCheck(String nodeId, long anchorSeq, Instant to) {
            this.nodeId = nodeId;
            this.anchorSeq = anchorSeq;
            this.to = to;
            this.expected = anchorSeq > 0 ? anchorSeq : 1;
        }

        boolean visit(StoredLine line) {
            if (pendingGap != null) {
                return lookForMissing(line);
            }
            ChainRecord r;
            try {
                r = ChainRecord.parse(line.text());
            } catch (MalformedRecordException e) {
                return fail(line, -1, Problem.Kind.MALFORMED, e.getMessage());
            }
            if (!started && anchorSeq > 0 && r.seq() < anchorSeq) {
                return true; // before the time range's anchor digest
            }
            if (!r.nodeId().equals(nodeId)) {
                return fail(line, r.seq(), Problem.Kind.INSERTED, "a record of node " + r.nodeId() + " in node " + nodeId + "'s chain");
            }
            if (r.seq() < expected) {
                return fail(line, r.seq(), Problem.Kind.INSERTED, "sequence number " + r.seq() + " where " + expected
                        + " belongs: a record was inserted or duplicated here");
            }
            if (r.seq() > expected) {
                pendingGap = problem(line, r.seq(), Problem.Kind.DELETED, "record " + expected
                        + (r.seq() - 1 > expected ? ".." + (r.seq() - 1) : "") + " missing before this one: deleted");
                return true;
            }
            boolean first = !started;
            started = true;
            if (firstSeq < 0) {
                firstSeq = r.seq();
            }
            boolean ok = first && anchorSeq > 0 ? anchor(line, r) : check(line, r);
            if (!ok) {
                return false;
            }
            head = r.hash();
            lastTime = r.time();
            lastSeq = r.seq();
            expected++;
            if (r.kind() == ChainRecord.Kind.digest) {
                return to == null || r.time().isBefore(to);
            }
            return true;
        }

        private boolean check(StoredLine line, ChainRecord r) {
            if (r.kind() == ChainRecord.Kind.digest) {
                return checkDigest(line, r);
            }
            if (!r.computedHash().equals(r.hash())) {
                return fail(line, r.seq(), Problem.Kind.EDITED, r.kind() + " content does not match its hash: edited");
            }
            if (!r.prevHash().equals(head)) {
                return fail(line, r.seq(), Problem.Kind.CHAIN_BROKEN, "does not link to the hash of record " + (r.seq() - 1)
                        + ": that record was altered and re-hashed, or this one was inserted");
            }
            if (rangeFirstTime == null) {
                rangeFirstTime = r.time();
            }
            if (r.kind() == ChainRecord.Kind.event) {
                events++;
            } else {
                restarts++;
            }
            return true;
        }

        private boolean checkDigest(StoredLine line, ChainRecord r) {
            Digest d;
            try {
                d = Digest.of(r);
            } catch (MalformedRecordException e) {
                return fail(line, r.seq(), Problem.Kind.MALFORMED, e.getMessage());
            }
            PublicKey publicKey = keys.get(d.keyId());
            if (publicKey == null) {
                return fail(line, r.seq(), Problem.Kind.BAD_SIGNATURE, "digest signed by key " + d.keyId()
                        + ", not by " + given());
            }
            if (!d.signatureVerifies(publicKey)) {
                return fail(line, r.seq(), Problem.Kind.BAD_SIGNATURE, "digest signature does not verify: the digest was altered or forged");
            }
            if (!r.computedHash().equals(r.hash())) {
                return fail(line, r.seq(), Problem.Kind.EDITED, "digest record does not match its hash: edited");
            }
            if (!r.prevHash().equals(head)) {
                return fail(line, r.seq(), Problem.Kind.CHAIN_BROKEN, "digest does not link to the hash of record " + (r.seq() - 1));
            }
            String wrong = null;
            if (!d.previousSignature().equals(previousSignature)) {
                wrong = "does not carry the previous digest's signature";
            } else if (d.firstSeq() != lastDigestSeq + 1 || d.lastSeq() != r.seq() - 1
                    || d.count() != d.lastSeq() - d.firstSeq() + 1) {
                wrong = "covers " + d.firstSeq() + ".." + d.lastSeq() + " (count " + d.count() + "), not "
                        + (lastDigestSeq + 1) + ".." + (r.seq() - 1);
            } else if (!d.headHash().equals(head)) {
                wrong = "head hash is not the hash of record " + d.lastSeq();
            } else if (!d.lastTime().equals(lastTime) || (rangeFirstTime != null && !d.firstTime().equals(rangeFirstTime))) {
                wrong = "time range does not match the records it covers";
            }
            if (wrong != null) {
                return fail(line, r.seq(), Problem.Kind.BAD_DIGEST, "digest " + wrong);
            }
            acceptDigest(r, d);
            return true;
        }

        /** The time range's first digest: trusted through its own signature, not through its predecessors. */
        private boolean anchor(StoredLine line, ChainRecord r) {
            Digest d;
            try {
                d = Digest.of(r);
            } catch (MalformedRecordException e) {
                return fail(line, r.seq(), Problem.Kind.MALFORMED, e.getMessage());
            }
            PublicKey publicKey = keys.get(d.keyId());
            if (publicKey == null || !d.signatureVerifies(publicKey)) {
                return fail(line, r.seq(), Problem.Kind.BAD_SIGNATURE, "digest signature does not verify under " + given());
            }
            if (!r.computedHash().equals(r.hash())) {
                return fail(line, r.seq(), Problem.Kind.EDITED, "digest record does not match its hash: edited");
            }
            acceptDigest(r, d);
            return true;
        }

        private void acceptDigest(ChainRecord r, Digest d) {
            digests++;
            previousSignature = d.signature();
            lastDigestSeq = r.seq();
            rangeFirstTime = null;
        }

        private boolean lookForMissing(StoredLine line) {
            try {
                ChainRecord r = ChainRecord.parse(line.text());
                if (r.seq() == expected) {
                    Problem p = pendingGap;
                    problem = new Problem(nodeId, p.location(), p.seq(), Problem.Kind.REORDERED, "record " + p.seq()
                            + " stands where " + expected + " belongs (" + expected + " appears later, at "
                            + line.location() + "): records were reordered");
                    pendingGap = null;
                    return false;
                }
            } catch (MalformedRecordException e) {
                // keep looking: the gap is the first problem
            }
            return true;
        }

        private Problem problem(StoredLine line, long seq, Problem.Kind kind, String message) {
            return new Problem(nodeId, line.location(), seq, kind, message);
        }

        private boolean fail(StoredLine line, long seq, Problem.Kind kind, String message) {
            problem = problem(line, seq, kind, message);
            return false;
        }

        NodeReport report() {
            Problem p = problem != null ? problem : pendingGap;
            long unsigned = lastSeq < 0 ? 0 : lastSeq - lastDigestSeq;
            return new NodeReport(nodeId, events, restarts, digests, firstSeq, lastSeq, unsigned, Optional.ofNullable(p));
        }
    }
}
