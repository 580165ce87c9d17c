package dev.portcullis.audit.sink;

/** A sink could not store or read records. The message names the sink and the cause, never record content. */
public final class AuditSinkException extends Exception {
    public AuditSinkException(String message) {
        super(message);
    }

    public AuditSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
