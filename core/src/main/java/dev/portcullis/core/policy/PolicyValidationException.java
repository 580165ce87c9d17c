package dev.portcullis.core.policy;

import java.util.List;

/** A policy document was rejected; {@link #errors()} lists every problem found, in document order. */
public final class PolicyValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<PolicyValidationError> errors;

    PolicyValidationException(List<PolicyValidationError> errors) {
        super(errors.isEmpty() ? "Syntax errors in policy." : errors.get(0).message(), null, false, false);
        this.errors = List.copyOf(errors);
    }

    /** Every error, never empty. */
    public List<PolicyValidationError> errors() {
        return errors;
    }

    /** AWS's error code of the first error ({@code MalformedPolicyDocument} or {@code LimitExceeded}). */
    public String code() {
        return errors.isEmpty() ? PolicyValidationError.MALFORMED : errors.get(0).code();
    }
}
