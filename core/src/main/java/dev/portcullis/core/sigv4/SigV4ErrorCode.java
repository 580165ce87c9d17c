package dev.portcullis.core.sigv4;

/**
 * The AWS error codes a SigV4 check can end with, each with the HTTP status AWS answers with.
 * Callers that speak another dialect (API Gateway's {@code {"message": …}}) may map the status themselves.
 */
public enum SigV4ErrorCode {
    /** No SigV4 authentication at all (neither {@code Authorization} nor {@code X-Amz-Algorithm}). */
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403),
    /** A part of the signature is missing or malformed. AWS answers 400. */
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400),
    /** Unknown access key id, or a security token that is not valid (IAM/STS wording). */
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403),
    /** Unknown access key id in the wording of JSON services (DynamoDB, Lambda …). */
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 403),
    /** The signature, the credential scope or the signed headers do not match. */
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
    /** The session token has expired. */
    EXPIRED_TOKEN("ExpiredToken", 403),
    /** The request's date is outside the allowed clock-skew window. */
    REQUEST_EXPIRED("RequestExpired", 403),
    /** A presigned URL that has expired (or is not yet valid). */
    ACCESS_DENIED("AccessDenied", 403),
    /** Malformed presigned-URL parameters, such as {@code X-Amz-Expires} out of range (S3 wording). */
    AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400),
    /** {@code X-Amz-Content-Sha256} names a hash that is not the body's. */
    CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400);

    private final String awsCode;
    private final int httpStatus;

    SigV4ErrorCode(String awsCode, int httpStatus) {
        this.awsCode = awsCode;
        this.httpStatus = httpStatus;
    }

    /** AWS's code, e.g. {@code SignatureDoesNotMatch}. */
    public String awsCode() {
        return awsCode;
    }

    /** The HTTP status AWS answers with for this code. */
    public int httpStatus() {
        return httpStatus;
    }
}
