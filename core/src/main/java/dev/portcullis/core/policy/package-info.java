/**
 * The AWS IAM policy language: parsed, validated, compiled and evaluated as AWS evaluates it.
 *
 * <p>The pipeline mirrors a compiler: {@link dev.portcullis.core.policy.Policies#parse} reads the
 * JSON into a model with locations ({@code PolicyParser}), validates it (every error is collected,
 * with AWS's {@code MalformedPolicyDocument} wording and a JSON pointer), and compiles it into
 * matchers ({@code Glob}, {@code CompiledCondition}, {@code PrincipalMatcher}) with statements
 * indexed by action service prefix. {@link dev.portcullis.core.policy.PolicyEngine#evaluate}
 * applies AWS's evaluation logic (explicit deny, organization policies, resource policies,
 * identity policies, permissions boundaries, session policies, implicit deny; same-account and
 * cross-account rules) to an {@link dev.portcullis.core.policy.AuthorizationRequest}, and
 * {@link dev.portcullis.core.policy.PolicyEngine#explain} does the same while recording why each
 * statement matched or not. Policies carry no name: callers name them with
 * {@link dev.portcullis.core.policy.PolicyRef} so that explanations can say which policy decided.
 *
 * <p>Everything here is pure (no I/O), immutable and thread-safe.
 */
package dev.portcullis.core.policy;
