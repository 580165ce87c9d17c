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

    private String ownerId(AccessKeyEntry entry) {
        String arn = entry.key().ownerArn();
        if (arn.endsWith(":root")) {
            return entry.key().accountId();
        }
        return view.get().userByArn(arn).map(u -> u.userId()).orElse(entry.key().accountId());
    }

    private ResolvedCredential temporary(String accessKeyId, String sessionToken) throws SigV4Exception {
        SessionClaims claims;
        try {
            claims = tokens.open(sessionToken, clock.instant());
        } catch (SessionTokenException e) {
            throw e.reason() == SessionTokenException.Reason.EXPIRED
                    ? CredentialLookup.expiredToken()
                    : CredentialLookup.invalidClientTokenId();
        }
        if (!MessageDigest.isEqual(claims.accessKeyId().getBytes(StandardCharsets.US_ASCII),
                accessKeyId.getBytes(StandardCharsets.US_ASCII))) {
            throw CredentialLookup.invalidClientTokenId();
        }
        PrincipalIdentity identity = new PrincipalIdentity(claims.sessionArn(), claims.accountId(), claims.userId());
        return new ResolvedCredential(SigningSecret.of(claims.secretAccessKey()), identity, claims);
    }
}
