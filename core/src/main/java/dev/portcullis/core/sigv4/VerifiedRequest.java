package dev.portcullis.core.sigv4;

import java.time.Instant;
import java.util.List;

/**
 * A request whose signature checked out.
 *
 * @param accessKeyId      the access key id that signed it
 * @param principal        who owns the key (from the {@link CredentialLookup})
 * @param session          the lookup's opaque session data, or {@code null}
 * @param sessionToken     the session token presented, or {@code null}
 * @param form             header or query (presigned) form
 * @param requestTime      the signing time ({@code X-Amz-Date} or {@code Date})
 * @param expiresAt        when a presigned URL expires; {@code null} for the header form
 * @param region           the credential scope's region
 * @param service          the credential scope's service
 * @param signedHeaders    the signed header names, lower case, in the order given
 * @param payloadHash      the payload hash in the canonical request (hex, {@code UNSIGNED-PAYLOAD} or {@code STREAMING-…})
 * @param payloadVerified  true when the body was covered by the signature and checked against it
 * @param canonicalRequest the canonical request (for diagnostics; contains no secret)
 * @param stringToSign     the string to sign
 */
public record VerifiedRequest(String accessKeyId, PrincipalIdentity principal, Object session, String sessionToken,
                              Form form, Instant requestTime, Instant expiresAt, String region, String service,
                              List<String> signedHeaders, String payloadHash, boolean payloadVerified,
                              String canonicalRequest, String stringToSign) {

    /** Where the signature was carried. */
    public enum Form {
        /** {@code Authorization: AWS4-HMAC-SHA256 …} */
        HEADER,
        /** presigned URL: {@code X-Amz-Signature} and friends in the query string */
        QUERY
    }

    @Override
    public String toString() {
        return "VerifiedRequest[" + accessKeyId + " " + principal.arn() + " " + form + " " + region + "/" + service
                + " at " + requestTime + "]";
    }
}
