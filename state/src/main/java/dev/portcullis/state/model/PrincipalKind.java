package dev.portcullis.state.model;

/** The kinds of IAM entity that policies attach to. */
public enum PrincipalKind {
    USER("user"), ROLE("role"), GROUP("group");

    private final String arnType;

    PrincipalKind(String arnType) {
        this.arnType = arnType;
    }

    /** The resource type in the entity's ARN ({@code user}, {@code role}, {@code group}). */
    public String arnType() {
        return arnType;
    }

    /** The word AWS uses in messages ("The user with name X cannot be found."). */
    public String word() {
        return arnType;
    }
}
