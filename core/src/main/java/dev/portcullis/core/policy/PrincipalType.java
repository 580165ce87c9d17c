package dev.portcullis.core.policy;

/** The kind of caller, with the value AWS puts in {@code aws:PrincipalType}. */
public enum PrincipalType {
    /** The account root user ({@code arn:aws:iam::123456789012:root}). */
    ACCOUNT("Account"),
    /** An IAM user. */
    USER("User"),
    /** A role session ({@code arn:aws:sts::123456789012:assumed-role/name/session}). */
    ASSUMED_ROLE("AssumedRole"),
    /** A federated user (GetFederationToken). */
    FEDERATED_USER("FederatedUser"),
    /** A user of an identity provider (SAML / OIDC), named by the provider in {@code Federated}. */
    WEB_IDENTITY("WebIdentityUser"),
    /** An AWS service principal such as {@code lambda.amazonaws.com}. */
    SERVICE("AWSService"),
    /** An unauthenticated caller; only {@code "Principal": "*"} names it. */
    ANONYMOUS("Anonymous");

    private final String contextValue;

    PrincipalType(String contextValue) {
        this.contextValue = contextValue;
    }

    /** The value of {@code aws:PrincipalType}. */
    public String contextValue() {
        return contextValue;
    }
}
