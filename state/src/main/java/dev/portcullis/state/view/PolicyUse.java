package dev.portcullis.state.view;

/**
 * Where a policy document is used; decides its size quota and validation rules. Mirrors the
 * policy engine's {@code PolicyKind}.
 */
public enum PolicyUse {
    MANAGED, INLINE_USER, INLINE_ROLE, INLINE_GROUP, TRUST, RESOURCE
}
