package dev.portcullis.core.policy;

import java.util.List;

/** The door to the policy language: parse (and compile) or just validate a policy document. */
public final class Policies {

    private Policies() {}

    /**
     * Parses, validates and compiles a policy document.
     *
     * @throws PolicyValidationException listing every error; never throws anything unchecked for bad input
     */
    public static Policy parse(String document, PolicyKind kind) throws PolicyValidationException {
        PolicyParser.Result r = PolicyParser.parse(document, kind);
        if (r.policy() == null) {
            throw new PolicyValidationException(r.errors());
        }
        return r.policy();
    }

    /** Every error in the document, empty when it is a valid policy of this kind. */
    public static List<PolicyValidationError> validate(String document, PolicyKind kind) {
        return List.copyOf(PolicyParser.parse(document, kind).errors());
    }
}
