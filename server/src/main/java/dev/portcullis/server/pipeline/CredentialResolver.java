package dev.portcullis.server.pipeline;

import dev.portcullis.core.sigv4.CredentialLookup;
import dev.portcullis.core.sigv4.PrincipalIdentity;
import dev.portcullis.core.sigv4.ResolvedCredential;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.core.sigv4.SigningSecret;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.core.token.SessionTokenCodec;
import dev.portcullis.core.token.SessionTokenException;
import dev.portcullis.state.model.AccessKeyStatus;
import dev.portcullis.state.view.AccessKeyEntry;
import dev.portcullis.state.view.IamView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Resolves access key ids against the in-memory model: long-term keys ({@code AKIA…}) from the view's
 * key index, temporary keys ({@code ASIA…}) from the sealed session token alone. No I/O.
 *
 * <p>The resolved credential's session object is the {@link SessionClaims} for temporary credentials
 * and the {@link AccessKeyEntry} for long-term keys.
 */
final class CredentialResolver implements CredentialLookup {

    private final Supplier<IamView> view;
    private final SessionTokenCodec tokens;
    private final Clock clock;
    /**
     * Tokens this node opened recently. Opening one costs a base64 decode, an AES-GCM decryption and a
     * JSON parse; a client sends the same token with every request of its session. Entries are kept
     * for at most {@link #CACHE_FOR} (so a master key removed from the keyring stops being honoured
     * within that time) and the table is bounded. Expiry is checked on every request regardless.
     */
    private final ConcurrentHashMap<TokenKey, Opened> opened = new ConcurrentHashMap<>();
    static final int MAX_CACHED_TOKENS = 10_000;
    static final long CACHE_FOR_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);

    private record Opened(SessionClaims claims, long at) {
    }

    /**
     * A token as a map key. {@code String.hashCode} walks the whole token (hundreds of characters) and a
     * token arrives as a new string with every request; the token is ciphertext, so its length and its
     * last 32 characters (the authentication tag's end) spread keys as well. Equality is the whole token.
     */
    private record TokenKey(String token) {
        @Override
        public int hashCode() {
            int n = token.length();
            int h = n;
            for (int i = Math.max(0, n - 32); i < n; i++) {
                h = 31 * h + token.charAt(i);
            }
            return h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TokenKey k && k.token.equals(token);
        }
    }

    CredentialResolver(Supplier<IamView> view, SessionTokenCodec tokens, Clock clock) {
        this.view = view;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public ResolvedCredential lookup(String accessKeyId, String sessionToken) throws SigV4Exception {
        if (sessionToken != null) {
            return temporary(accessKeyId, sessionToken);
        }
        if (accessKeyId.startsWith("ASIA")) {
            // Temporary credentials without their token cannot be resolved: AWS's answer is the same.
            throw CredentialLookup.invalidClientTokenId();
        }
        Optional<AccessKeyEntry> found = view.get().accessKey(accessKeyId);
        if (found.isEmpty() || found.get().key().status() != AccessKeyStatus.Active) {
            return null;
        }
        AccessKeyEntry entry = found.get();
        PrincipalIdentity identity = entry.servicePrincipal()
                .map(sp -> new PrincipalIdentity(sp.name(), sp.accountId(), sp.name()))
                .orElseGet(() -> new PrincipalIdentity(entry.key().ownerArn(), entry.key().accountId(),
                        ownerId(entry)));
        return new ResolvedCredential(SigningSecret.of(new String(entry.secret().reveal())), identity, entry);
    }

    private SessionClaims opened(String token) throws SigV4Exception {
        long now = System.nanoTime();
        TokenKey key = new TokenKey(token);
        Opened hit = opened.get(key);
        if (hit != null && now - hit.at() < CACHE_FOR_NANOS) {
            return hit.claims();
        }
        SessionClaims claims;
        try {
            claims = tokens.openIgnoringExpiry(token);
        } catch (SessionTokenException e) {
            opened.remove(key);
            throw CredentialLookup.invalidClientTokenId();
        }
        if (opened.size() >= MAX_CACHED_TOKENS) {
            opened.clear();
        }
        opened.put(key, new Opened(claims, now));
        return claims;
    }

    private String ownerId(AccessKeyEntry entry) {
        String arn = entry.key().ownerArn();
        if (arn.endsWith(":root")) {
            return entry.key().accountId();
        }
        return view.get().userByArn(arn).map(u -> u.userId()).orElse(entry.key().accountId());
    }

    private ResolvedCredential temporary(String accessKeyId, String sessionToken) throws SigV4Exception {
        SessionClaims claims = opened(sessionToken);
        if (!clock.instant().isBefore(claims.expiresAt())) {
            throw CredentialLookup.expiredToken();
        }
        if (!MessageDigest.isEqual(claims.accessKeyId().getBytes(StandardCharsets.US_ASCII),
                accessKeyId.getBytes(StandardCharsets.US_ASCII))) {
            throw CredentialLookup.invalidClientTokenId();
        }
        PrincipalIdentity identity = new PrincipalIdentity(claims.sessionArn(), claims.accountId(), claims.userId());
        return new ResolvedCredential(SigningSecret.of(claims.secretAccessKey()), identity, claims);
    }
}
