package dev.portcullis.core.policy;

import java.util.List;

/**
 * How one statement fared against the request.
 *
 * @param principal  {@code n/a} when the statement has no Principal element, else {@code EXACT}, {@code ROLE},
 *                   {@code ACCOUNT} (how specifically it named the caller) or {@code NONE}
 * @param applies    whether the statement applied (action, resource, principal and every condition matched)
 */
public record StatementTrace(
        StatementRef statement, boolean actionMatched, boolean resourceMatched, String principal,
        List<ConditionTrace> conditions, boolean applies) {}
