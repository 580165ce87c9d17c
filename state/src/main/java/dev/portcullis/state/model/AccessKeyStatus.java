package dev.portcullis.state.model;

/** {@code Active} or {@code Inactive}, as IAM spells them. */
public enum AccessKeyStatus {
    Active, Inactive
}
