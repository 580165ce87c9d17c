package dev.portcullis.core.sigv4;

import java.util.Objects;

/**
 * Credentials to sign with.
 *
 * @param accessKeyId  the access key id ({@code AKIA…} or {@code ASIA…})
 * @param secret       the secret access key
 * @param sessionToken the session token of temporary credentials, or {@code null}
 */
public record AwsCredentials(String accessKeyId, SigningSecret secret, String sessionToken) {
    public AwsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secret, "secret");
    }

    /** Long-term credentials. */
    public static AwsCredentials of(String accessKeyId, String secretAccessKey) {
        return new AwsCredentials(accessKeyId, SigningSecret.of(secretAccessKey), null);
    }

    /** Temporary credentials with a session token. */
    public static AwsCredentials of(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new AwsCredentials(accessKeyId, SigningSecret.of(secretAccessKey), sessionToken);
    }

    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + ", session=" + (sessionToken != null) + "]";
    }
}
