package dev.portcullis.state.keyring;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A secret in clear, in memory only. {@code toString()} is redacted; compare with {@link
 * #matches(char[])}, which runs in constant time.
 */
public final class Secret {
    private final char[] value;

    public Secret(char[] value) {
        this.value = value.clone();
    }

    /** A copy of the secret's characters (e.g. for a SigV4 signing key). */
    public char[] reveal() {
        return value.clone();
    }

    /** The secret as a string: only for handing it once to its owner (CreateAccessKey's response). */
    public String revealAsString() {
        return new String(value);
    }

    public boolean matches(char[] other) {
        return MessageDigest.isEqual(new String(value).getBytes(StandardCharsets.UTF_8),
                new String(other).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
