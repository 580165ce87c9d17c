package dev.portcullis.server.http;

/** Why the listener answered a request without letting the service handle it. */
public enum Refusal {
    /** The body exceeded the listener's limit (413). */
    BODY_TOO_LARGE,
    /** The service did not answer within the request timeout (503, or 504 for the gateway). */
    TIMEOUT,
    /** The node is shutting down and no longer takes new requests (503). */
    SHUTTING_DOWN,
    /** The service failed unexpectedly (500; the cause is logged, never sent). */
    INTERNAL_ERROR
}
