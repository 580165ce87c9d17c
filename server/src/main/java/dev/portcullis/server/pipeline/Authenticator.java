package dev.portcullis.server.pipeline;

import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.core.sigv4.SigV4Request;
import dev.portcullis.core.sigv4.SigV4Verifier;
import dev.portcullis.core.sigv4.VerifiedRequest;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.core.token.SessionTokenCodec;
import dev.portcullis.core.token.SessionType;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.state.model.Tag;
import dev.portcullis.state.view.AccessKeyEntry;
import dev.portcullis.state.view.IamView;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a SigV4-signed request into a {@link Caller}, reading only the in-memory model. Thread-safe.
 */
public final class Authenticator {

    private final SigV4Verifier verifier;
    private final Supplier<IamView> view;
    private final Duration clockSkew;

    public Authenticator(Supplier<IamView> view, SessionTokenCodec tokens, Clock clock, Duration clockSkew) {
        this.view = view;
        this.clockSkew = clockSkew;
        this.verifier = SigV4Verifier.builder(new CredentialResolver(view, tokens, clock))
                .clock(clock)
                .clockSkew(clockSkew)
                .build();
    }

    /** The clock-skew window signatures are accepted in. */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** The result of authenticating: the caller and what the verifier established about the request. */
    public record Authenticated(Caller caller, VerifiedRequest verified) {
    }

    /**
     * Verifies the signature for {@code region}/{@code service} and resolves the caller.
     *
     * @throws SigV4Exception with AWS's code and message when the request is not authentic
     */
    public Authenticated authenticate(InboundRequest request, String region, String service) throws SigV4Exception {
        SigV4Request signed = SigV4Request.of(request.method(), request.rawPath(), request.rawQuery(),
                request.headers()::apply, request.body());
        VerifiedRequest verified = verifier.verify(signed, region, service);
        Caller caller = caller(verified, view.get());
        if (caller.service().isPresent() && caller.service().get().mayAssertSource()) {
            caller = new Caller(caller.principal(), caller.accessKeyId(), caller.session(), caller.service(),
                    assertedSource(request, verified.signedHeaders()));
        }
        return new Authenticated(caller, verified);
    }

    /** The source headers that were signed; an unsigned copy counts for nothing. */
    private static Caller.AssertedSource assertedSource(InboundRequest request, List<String> signedHeaders) {
        String arn = signedHeaders.contains(AccessControl.SOURCE_ARN_HEADER)
                ? trimmed(request.header(AccessControl.SOURCE_ARN_HEADER)) : null;
        String account = signedHeaders.contains(AccessControl.SOURCE_ACCOUNT_HEADER)
                ? trimmed(request.header(AccessControl.SOURCE_ACCOUNT_HEADER)) : null;
        return arn == null && account == null ? Caller.AssertedSource.NONE : new Caller.AssertedSource(arn, account);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    /**
     * The credential scope's service named by the request ({@code Credential=AKID/date/region/SERVICE/aws4_request}
     * in the Authorization header or {@code X-Amz-Credential}), without verifying anything; empty when absent.
     */
    public static Optional<String> scopeService(InboundRequest request) {
        String credential = null;
        String auth = request.header("authorization");
        if (auth != null) {
            int at = auth.indexOf("Credential=");
            if (at >= 0) {
                int end = auth.indexOf(',', at);
                credential = auth.substring(at + "Credential=".length(), end < 0 ? auth.length() : end).trim();
            }
        } else if (request.rawQuery() != null) {
            for (String pair : request.rawQuery().split("&")) {
                if (pair.startsWith("X-Amz-Credential=")) {
                    credential = java.net.URLDecoder.decode(pair.substring("X-Amz-Credential=".length()),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        if (credential == null) {
            return Optional.empty();
        }
        String[] parts = credential.split("/");
        return parts.length == 5 ? Optional.of(parts[3]) : Optional.empty();
    }

    /**
     * The principal of each credential, once per session (or key) and snapshot: the credential resolver
     * hands out the same {@link SessionClaims} object for every request of a session (it caches opened
     * tokens), and a long-term key's entry is the same object within a snapshot, so the role or user
     * look-up, the tag merge and the session ARN are not rebuilt on every request.
     */
    private static final SnapshotMemo<RequestPrincipal> PRINCIPALS = new SnapshotMemo<>();

    static Caller caller(VerifiedRequest verified, IamView view) {
        Object session = verified.session();
        if (session instanceof SessionClaims claims) {
            return new Caller(PRINCIPALS.get(claims, null, view, Authenticator::sessionPrincipal), verified.accessKeyId(),
                    Optional.of(claims), Optional.empty());
        }
        AccessKeyEntry entry = (AccessKeyEntry) session;
        if (entry.servicePrincipal().isPresent()) {
            return new Caller(RequestPrincipal.service(entry.servicePrincipal().get().name()), verified.accessKeyId(),
                    Optional.empty(), entry.servicePrincipal());
        }
        String owner = entry.key().ownerArn();
        if (owner.endsWith(":root")) {
            return new Caller(RequestPrincipal.root(entry.key().accountId()), verified.accessKeyId(), Optional.empty(),
                    Optional.empty());
        }
        return new Caller(PRINCIPALS.get(entry, null, view, (e, v) -> userPrincipal(e.key().ownerArn(), v)), verified.accessKeyId(),
                Optional.empty(), Optional.empty());
    }

    private static RequestPrincipal sessionPrincipal(SessionClaims claims, IamView view) {
        if (claims.type() == SessionType.USER_SESSION) {
            return claims.principalArn().endsWith(":root")
                    ? RequestPrincipal.root(claims.accountId())
                    : userPrincipal(claims.principalArn(), view);
        }
        // Session tags override the role's tags with the same key (AWS: "Session tags ... override").
        Map<String, String> tags = new LinkedHashMap<>();
        view.roleByArn(claims.principalArn()).ifPresent(role -> putTags(tags, role.tags()));
        tags.putAll(claims.tags());
        return RequestPrincipal.assumedRole(claims.principalArn(), claims.principalId(), claims.sessionName(), tags);
    }

    private static RequestPrincipal userPrincipal(String userArn, IamView view) {
        Map<String, String> tags = new LinkedHashMap<>();
        String userId = view.userByArn(userArn).map(u -> {
            putTags(tags, u.tags());
            return u.userId();
        }).orElse("");
        return RequestPrincipal.user(userArn, userId, tags);
    }

    private static void putTags(Map<String, String> into, List<Tag> tags) {
        for (Tag t : tags) {
            into.put(t.key(), t.value());
        }
    }
}
