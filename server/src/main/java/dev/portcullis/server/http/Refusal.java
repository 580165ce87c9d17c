package dev.portcullis.server.http;

/**
 * Why the listener answered a request without letting the service handle it, with the HTTP status
 * and the error code the JSON-protocol APIs answer with (Query and gateway services map it to their
 * own shapes).
 */
public enum Refusal {
    /** The body exceeded the listener's limit. */
    BODY_TOO_LARGE(413, "RequestEntityTooLargeException"),
    /** The request line or headers could not be decoded (malformed, or over the 64 KiB limits). */
    MALFORMED_REQUEST(400, "BadRequestException"),
    /** The service did not answer within the request timeout (the gateway answers 504). */
    TIMEOUT(503, "ServiceUnavailableException"),
    /** The node is shutting down and no longer takes new requests. */
    SHUTTING_DOWN(503, "ServiceUnavailableException"),
    /** The service failed unexpectedly (the cause is logged, never sent). */
    INTERNAL_ERROR(500, "InternalFailure");

    private final int status;
    private final String jsonCode;

    Refusal(int status, String jsonCode) {
        this.status = status;
        this.jsonCode = jsonCode;
    }

    public int status() {
        return status;
    }

    /** The {@code __type} of the refusal in AWS's JSON 1.1 error shape. */
    public String jsonCode() {
        return jsonCode;
    }
}
