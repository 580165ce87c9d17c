package dev.portcullis.state;

import dev.portcullis.state.keyring.Secret;

/**
 * A just-created access key: its id and its secret, to be shown to its owner once (the
 * CreateAccessKey response). {@code toString()} never shows the secret.
 */
public record NewAccessKey(String accessKeyId, Secret secret, long sequence) {
    @Override
    public String toString() {
        return "NewAccessKey[" + accessKeyId + ", secret=redacted, seq=" + sequence + "]";
    }
}
