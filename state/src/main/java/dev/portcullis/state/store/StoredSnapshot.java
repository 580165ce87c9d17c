package dev.portcullis.state.store;

/** A stored snapshot of the model as of {@code sequence}, in the given format version. */
public record StoredSnapshot(long sequence, int format, byte[] data) {
}
