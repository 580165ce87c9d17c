/**
 * Master keys and the encryption of stored secrets. A {@link dev.portcullis.state.keyring.Keyring}
 * holds master keys (id + 256-bit AES key), one of them current; secrets are sealed with AES-GCM
 * under the current key (the access key id is the associated data, binding a ciphertext to its
 * key) and opened into memory only as {@link dev.portcullis.state.keyring.Secret}, whose
 * {@code toString()} never shows the value.
 */
package dev.portcullis.state.keyring;
