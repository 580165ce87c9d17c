package dev.portcullis.state.model;

/**
 * A secret encrypted (AES-256-GCM) under the master key {@code keyId}; {@code ciphertext} is
 * base64 of nonce + ciphertext + tag. Safe to store, log and snapshot: it reveals nothing without
 * the keyring.
 */
public record SealedSecret(String keyId, String ciphertext) {
}
