package dev.portcullis.core.policy;

import java.util.List;

/**
 * The engine's answer.
 *
 * @param decision            allow, explicit deny or implicit deny
 * @param reason              one sentence on why, for logs and humans
 * @param decisiveStatements  the statements that decided: the denying statements for an explicit deny,
 *                            the allowing ones (resource, identity, boundary, session) for an allow; empty for an implicit deny
 * @param evaluatedStatements every statement examined and why it did or did not apply; only filled by
 *                            {@link PolicyEngine#explain}, empty from {@link PolicyEngine#evaluate}
 * @param missingContextKeys  sorted context keys that applicable statements' conditions read but the request did not carry
 *                            (the simulator's {@code MissingContextValues}); only filled by {@code explain}
 */
public record AuthorizationResult(
        Decision decision, String reason, List<StatementRef> decisiveStatements,
        List<StatementTrace> evaluatedStatements, List<String> missingContextKeys) {

    public AuthorizationResult {
        decisiveStatements = List.copyOf(decisiveStatements);
        evaluatedStatements = List.copyOf(evaluatedStatements);
        missingContextKeys = List.copyOf(missingContextKeys);
    }

    public boolean allowed() {
        return decision == Decision.ALLOW;
    }

    /** The decisive statements as {@code policyId/Sid} (or {@code policyId/#index}), e.g. for audit events. */
    public List<String> decisiveLabels() {
        return decisiveStatements.stream().map(StatementRef::label).toList();
    }
}
