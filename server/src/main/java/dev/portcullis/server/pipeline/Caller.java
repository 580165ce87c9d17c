package dev.portcullis.server.pipeline;

import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.state.model.ServicePrincipal;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated caller.
 *
 * @param principal   the caller as the policy engine sees it (type, ARN, account, user id, tags)
 * @param accessKeyId the access key id that signed the request
 * @param session     the session claims when the request was signed with temporary credentials
 * @param service     the registered service principal when a service signed the request
 * @param source      what that service asserted it acts for, in headers it signed, when it may assert it
 */
public record Caller(RequestPrincipal principal, String accessKeyId, Optional<SessionClaims> session,
                     Optional<ServicePrincipal> service, AssertedSource source) {

    /**
     * {@code aws:SourceArn} and {@code aws:SourceAccount} as a registered service asserted them in the signed
     * headers {@code x-portcullis-source-arn} and {@code x-portcullis-source-account}; either may be null.
     */
    public record AssertedSource(String sourceArn, String sourceAccount) {
        public static final AssertedSource NONE = new AssertedSource(null, null);
    }

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        session = session == null ? Optional.empty() : session;
        service = service == null ? Optional.empty() : service;
        source = source == null ? AssertedSource.NONE : source;
    }

    /** A caller that asserts no source. */
    public Caller(RequestPrincipal principal, String accessKeyId, Optional<SessionClaims> session,
                  Optional<ServicePrincipal> service) {
        this(principal, accessKeyId, session, service, AssertedSource.NONE);
    }

    /** The caller's account; for a service principal, the account it is registered in. */
    public String accountId() {
        if (principal.type() == PrincipalType.SERVICE) {
            return service.map(ServicePrincipal::accountId).orElse("");
        }
        return principal.accountId();
    }

    /** The caller's ARN as {@code GetCallerIdentity} reports it (service principals: their name). */
    public String arn() {
        return principal.arn();
    }

    /** {@code aws:userid}: {@code AIDA…}, {@code AROA…:session}, or the account id for root. */
    public String userId() {
        return principal.userId();
    }

    public boolean isRoot() {
        return principal.type() == PrincipalType.ACCOUNT;
    }

    @Override
    public String toString() {
        return "Caller[" + principal.type() + " " + principal.arn() + " via " + accessKeyId + "]";
    }
}
