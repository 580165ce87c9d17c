package dev.portcullis.core.token;

import java.util.Arrays;
import java.util.Objects;

/** One AES-256 key with its id. {@link #toString()} never prints the key material. */
public final class SealingKey {

    /** Longest key id we accept; ids travel in every token. */
    public static final int MAX_ID_LENGTH = 32;

    private final String id;
    private final byte[] key;

    public SealingKey(String id, byte[] key) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("sealing key id must be 1-" + MAX_ID_LENGTH + " printable ASCII characters");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("sealing key must be 256 bits");
        }
        this.id = id;
        this.key = key.clone();
    }

    public String id() {
        return id;
    }

    byte[] keyBytes() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealingKey other && id.equals(other.id) && java.security.MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "SealingKey[id=" + id + ", key=<redacted>]";
    }

    /** Copies the key material out, for a keyring that persists it. */
    public byte[] exportKey() {
        return Arrays.copyOf(key, key.length);
    }
}
