package dev.portcullis.server.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portcullis.core.sigv4.SigV4Error;
import dev.portcullis.server.http.OutboundResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * API Gateway's error answers: {@code {"message":"…"}} with the {@code x-amzn-ErrorType} header.
 *
 * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html">Gateway response types</a>
 */
final class GatewayErrors {

    static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you "
            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private GatewayErrors() {
    }

    static OutboundResponse of(int status, String errorType, String message) {
        String body = JsonNodeFactory.instance.objectNode().put("message", message).toString();
        Map<String, String> headers = errorType == null ? Map.of() : Map.of("x-amzn-ErrorType", errorType);
        return new OutboundResponse(status, "application/json", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static OutboundResponse missingToken() {
        return of(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    static OutboundResponse notFound() {
        return of(404, "NotFoundException", "Not Found");
    }

    static OutboundResponse accessDenied(String message) {
        return of(403, "AccessDeniedException", message);
    }

    static OutboundResponse badGateway() {
        return of(502, null, "Internal server error");
    }

    static OutboundResponse timeout() {
        return of(504, null, "Endpoint request timed out");
    }

    static OutboundResponse tooLarge() {
        return of(413, null, "Request Too Long");
    }

    static OutboundResponse unavailable() {
        return of(503, null, "Service Unavailable");
    }

    /** The answer to a request whose signature did not verify. */
    static OutboundResponse authentication(SigV4Error error) {
        return switch (error.code()) {
            case MISSING_AUTHENTICATION_TOKEN -> missingToken();
            case INVALID_CLIENT_TOKEN_ID, UNRECOGNIZED_CLIENT ->
                    of(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
            case EXPIRED_TOKEN -> of(403, "ExpiredTokenException", "The security token included in the request is expired");
            case SIGNATURE_DOES_NOT_MATCH, CONTENT_SHA256_MISMATCH ->
                    of(403, "InvalidSignatureException", SIGNATURE_MISMATCH);
            case REQUEST_EXPIRED -> of(403, "InvalidSignatureException", error.message());
            case ACCESS_DENIED -> accessDenied(error.message());
            case INCOMPLETE_SIGNATURE, AUTHORIZATION_QUERY_PARAMETERS_ERROR ->
                    of(403, "IncompleteSignatureException", error.message());
        };
    }
}
