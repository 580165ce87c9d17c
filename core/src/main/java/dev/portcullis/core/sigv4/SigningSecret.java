package dev.portcullis.core.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret access key. Its {@link #toString()} never prints it; {@link #equals} compares in constant time.
 */
public final class SigningSecret {

    private final String value;

    private SigningSecret(String value) {
        this.value = value;
    }

    /** Wraps a secret access key (e.g. the 40-character AWS form). */
    public static SigningSecret of(String secretAccessKey) {
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("secret access key must not be empty");
        }
        return new SigningSecret(secretAccessKey);
    }

    /** The secret itself; only for key derivation and for storage that encrypts it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningSecret other && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "SigningSecret[redacted]";
    }
}
