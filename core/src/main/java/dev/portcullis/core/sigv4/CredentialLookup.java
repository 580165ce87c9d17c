package dev.portcullis.core.sigv4;

/**
 * How the verifier learns the secret behind an access key id, without knowing where keys are stored.
 *
 * <p>Both the access key id and the session token are given, so that stateless temporary credentials
 * ({@code ASIA…} keys whose secret is sealed inside the token) can be resolved from the token alone.
 * Implementations must be thread-safe and should not block on I/O on the request path.
 */
@FunctionalInterface
public interface CredentialLookup {

    /**
     * Resolves a credential.
     *
     * @param accessKeyId  the access key id from the credential scope (never {@code null})
     * @param sessionToken the {@code X-Amz-Security-Token} header or query value, or {@code null}
     * @return the credential; {@code null} when the key is unknown, which the verifier reports as
     *         {@code InvalidClientTokenId} "The security token included in the request is invalid."
     * @throws SigV4Exception for a bad or expired token or a disabled key, e.g.
     *         {@link #expiredToken()} or {@link #invalidClientTokenId()}
     */
    ResolvedCredential lookup(String accessKeyId, String sessionToken) throws SigV4Exception;

    /** {@code InvalidClientTokenId}: "The security token included in the request is invalid." */
    static SigV4Exception invalidClientTokenId() {
        return SigV4Exception.of(SigV4ErrorCode.INVALID_CLIENT_TOKEN_ID,
                "The security token included in the request is invalid.", "Credential");
    }

    /** {@code UnrecognizedClientException}, the JSON services' wording for an unknown key. */
    static SigV4Exception unrecognizedClient() {
        return SigV4Exception.of(SigV4ErrorCode.UNRECOGNIZED_CLIENT,
                "The security token included in the request is invalid.", "Credential");
    }

    /** {@code ExpiredToken}: "The security token included in the request is expired". */
    static SigV4Exception expiredToken() {
        return SigV4Exception.of(SigV4ErrorCode.EXPIRED_TOKEN,
                "The security token included in the request is expired", "X-Amz-Security-Token");
    }
}
