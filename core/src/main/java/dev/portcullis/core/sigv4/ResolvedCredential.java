package dev.portcullis.core.sigv4;

import java.util.Objects;

/**
 * What a {@link CredentialLookup} found for an access key id (and session token).
 *
 * @param secret    the secret to check the signature with
 * @param principal who the key belongs to
 * @param session   opaque session data for temporary credentials (role, tags, session policy …), or {@code null}
 */
public record ResolvedCredential(SigningSecret secret, PrincipalIdentity principal, Object session) {
    public ResolvedCredential {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(principal, "principal");
    }

    @Override
    public String toString() {
        return "ResolvedCredential[principal=" + principal + ", session=" + (session != null) + "]";
    }
}
