package dev.portcullis.audit.verify;

import java.util.Optional;

/**
 * What was verified of one node's chain: counts of events, restart markers and digests, the
 * sequence range checked, the records after the last digest (chained but not yet signed, so the
 * deletion of the newest of them could not be detected), and the first problem, if any.
 */
public record NodeReport(String nodeId, long events, long restarts, long digests, long firstSeq, long lastSeq,
        long unsignedTail, Optional<Problem> problem) {

    public boolean verified() {
        return problem.isEmpty();
    }
}
