package dev.portcullis.core.policy;

/** The engine's answer, with the names the IAM policy simulator uses ({@code EvalDecision}). */
public enum Decision {
    ALLOW("allowed"),
    EXPLICIT_DENY("explicitDeny"),
    IMPLICIT_DENY("implicitDeny");

    private final String simulatorName;

    Decision(String simulatorName) {
        this.simulatorName = simulatorName;
    }

    /** {@code allowed}, {@code explicitDeny} or {@code implicitDeny}, as in SimulatePrincipalPolicy. */
    public String simulatorName() {
        return simulatorName;
    }

    public boolean allowed() {
        return this == ALLOW;
    }
}
