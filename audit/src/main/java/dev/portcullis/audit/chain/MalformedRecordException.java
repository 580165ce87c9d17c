package dev.portcullis.audit.chain;

/** A stored line that is not a chain record; the message says why and holds no record content. */
public final class MalformedRecordException extends Exception {
    public MalformedRecordException(String message) {
        super(message);
    }
}
