package dev.portcullis.audit.recorder;

/**
 * The audit trail cannot take the request's event, so the request must be refused with
 * {@value #HTTP_STATUS} and AWS's {@value #CODE} code. The message says why in general terms.
 */
public final class AuditUnavailableException extends Exception {

    public static final String CODE = "ServiceUnavailable";
    public static final int HTTP_STATUS = 503;

    public AuditUnavailableException(String message) {
        super(message, null, false, false);
    }

    public String code() {
        return CODE;
    }

    public int httpStatus() {
        return HTTP_STATUS;
    }
}
