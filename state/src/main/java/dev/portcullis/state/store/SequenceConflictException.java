package dev.portcullis.state.store;

/** Another writer appended the sequence first; the loser catches up and retries. */
public final class SequenceConflictException extends Exception {
    private static final long serialVersionUID = 1L;

    public SequenceConflictException(long sequence) {
        super("sequence " + sequence + " was appended by another writer", null, false, false);
    }
}
