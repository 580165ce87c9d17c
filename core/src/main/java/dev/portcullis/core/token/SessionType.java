package dev.portcullis.core.token;

/** What kind of session a token stands for, as STS distinguishes them. */
public enum SessionType {
    /** {@code AssumeRole}: the principal is {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}. */
    ASSUMED_ROLE,
    /** {@code GetSessionToken}: the session acts as the IAM user (or root) that asked for it. */
    USER_SESSION
}
