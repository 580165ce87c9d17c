package dev.portcullis.core.policy;

/**
 * Names one statement of one policy in an evaluation.
 *
 * @param policyId the id the caller gave in its {@link PolicyRef}
 * @param index    zero-based position in the policy's {@code Statement} list
 * @param sid      the statement's {@code Sid}, or null
 */
public record StatementRef(String policyId, PolicyRole role, int index, String sid, Effect effect) {

    /** {@code policyId/Sid}, or {@code policyId/#index} when the statement has no Sid. */
    public String label() {
        return policyId + "/" + (sid != null ? sid : "#" + index);
    }
}
