package dev.portcullis.core.policy;

import java.util.List;

/**
 * How one condition of a statement fared.
 *
 * @param operator the full operator ({@code ForAnyValue:StringLikeIfExists})
 * @param key      the context key as written in the policy
 * @param values   the policy's values
 * @param matched  whether the condition held
 * @param reason   why, in words (the request's values, or the rule for a missing key)
 */
public record ConditionTrace(String operator, String key, List<String> values, boolean matched, String reason) {}
