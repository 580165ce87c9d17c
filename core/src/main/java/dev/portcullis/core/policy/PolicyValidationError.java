package dev.portcullis.core.policy;

import java.util.Objects;

/**
 * One problem in a policy document, as data.
 *
 * @param code     AWS's error code: {@code MalformedPolicyDocument} or {@code LimitExceeded}
 * @param message  AWS's wording (e.g. {@code Policy statement must contain actions.})
 * @param location a JSON pointer to the offending element, e.g. {@code /Statement/1/Condition/StringEquals};
 *                 empty for the whole document
 */
public record PolicyValidationError(String code, String message, String location) {

    /** AWS's code for a document that is not a valid policy. */
    public static final String MALFORMED = "MalformedPolicyDocument";
    /** AWS's code for a document over its size quota. */
    public static final String LIMIT_EXCEEDED = "LimitExceeded";

    public PolicyValidationError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(location, "location");
    }

    static PolicyValidationError malformed(String message, String location) {
        return new PolicyValidationError(MALFORMED, message, location);
    }

    @Override
    public String toString() {
        return location.isEmpty() ? code + ": " + message : code + ": " + message + " (at " + location + ")";
    }
}
