package dev.portcullis.audit.verify;

import java.util.List;
import java.util.Optional;

/** The verification of every selected node. */
public record VerificationResult(List<NodeReport> nodes) {

    public VerificationResult {
        nodes = List.copyOf(nodes);
    }

    public boolean verified() {
        return nodes.stream().allMatch(NodeReport::verified);
    }

    /** The first problem (in node order), if any. */
    public Optional<Problem> firstProblem() {
        return nodes.stream().flatMap(n -> n.problem().stream()).findFirst();
    }

    public long events() {
        return nodes.stream().mapToLong(NodeReport::events).sum();
    }

    public long digests() {
        return nodes.stream().mapToLong(NodeReport::digests).sum();
    }

    /** One line for people: how much verified, or the first record that does not. */
    public String summary() {
        if (!verified()) {
            return "FAILED: " + firstProblem().orElseThrow();
        }
        long restarts = nodes.stream().mapToLong(NodeReport::restarts).sum();
        long unsigned = nodes.stream().mapToLong(NodeReport::unsignedTail).sum();
        return "verified " + events() + " events, " + restarts + " restart markers and " + digests()
                + " digests on " + nodes.size() + " node(s)"
                + (unsigned > 0 ? "; " + unsigned + " newest record(s) are chained but not yet covered by a signed digest" : "");
    }
}
