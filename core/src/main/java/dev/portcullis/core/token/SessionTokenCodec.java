package dev.portcullis.core.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals {@link SessionClaims} into a session token and opens it again.
 *
 * <p>Wire format, base64url without padding: {@code 'P' 'C' version(1) keyIdLength(1) keyId nonce(12)
 * ciphertext‖tag(16)}. The header (everything before the nonce) is authenticated as GCM associated
 * data, so a token cannot be moved to another key id. The plaintext is a compact JSON body.
 *
 * <p>Thread-safe: ciphers are per thread, the key set is read on every call so rotation takes effect
 * immediately.
 */
public final class SessionTokenCodec {

    /** Longest token accepted, in characters. Bounds the work an attacker can ask for. */
    public static final int MAX_TOKEN_LENGTH = 32 * 1024;

    private static final byte VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    });

    private final SealingKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SessionTokenCodec(SealingKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** A new temporary access key id, {@code ASIA} followed by 16 base32 characters. */
    public String newAccessKeyId() {
        StringBuilder id = new StringBuilder(20).append("ASIA");
        for (int i = 0; i < 16; i++) {
            id.append(BASE32[random.nextInt(32)]);
        }
        return id.toString();
    }

    /** A new 40-character secret access key. */
    public String newSecretAccessKey() {
        byte[] bytes = new byte[30];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Seals the claims under the current key. */
    public String seal(SessionClaims claims) {
        SealingKey key = keys.current();
        byte[] keyId = key.id().getBytes(StandardCharsets.US_ASCII);
        byte[] header = new byte[4 + keyId.length];
        header[0] = 'P';
        header[1] = 'C';
        header[2] = VERSION;
        header[3] = (byte) keyId.length;
        System.arraycopy(keyId, 0, header, 4, keyId.length);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            byte[] plain = JSON.writeValueAsBytes(Body.of(claims));
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.keyBytes(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(header.length + nonce.length + sealed.length);
            out.put(header).put(nonce).put(sealed);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
            if (token.length() > MAX_TOKEN_LENGTH) {
                throw new IllegalArgumentException("session is too large to seal: tags and session policy exceed the packed size limit");
            }
            return token;
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal session token", e);
        }
    }

    /**
     * Opens a token and checks its expiry against {@code now}.
     *
     * @throws SessionTokenException {@code InvalidClientTokenId} for anything not sealed by us under a
     *                               known key, {@code ExpiredToken} once {@code now} is past the expiry
     */
    public SessionClaims open(String token, Instant now) throws SessionTokenException {
        SessionClaims claims = openIgnoringExpiry(token);
        if (!now.isBefore(claims.expiresAt())) {
            throw new SessionTokenException(SessionTokenException.Reason.EXPIRED);
        }
        return claims;
    }

    /** Opens a token without looking at its expiry (for audit and diagnostics). */
    public SessionClaims openIgnoringExpiry(String token) throws SessionTokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw invalid();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length < 4 || raw[0] != 'P' || raw[1] != 'C' || raw[2] != VERSION) {
            throw invalid();
        }
        int keyIdLength = raw[3] & 0xff;
        int headerLength = 4 + keyIdLength;
        if (keyIdLength == 0 || raw.length < headerLength + NONCE_LENGTH + TAG_BITS / 8) {
            throw invalid();
        }
        String keyId = new String(raw, 4, keyIdLength, StandardCharsets.US_ASCII);
        Optional<SealingKey> key = keys.byId(keyId);
        if (key.isEmpty()) {
            throw invalid();
        }
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.get().keyBytes(), "AES"),
                    new GCMParameterSpec(TAG_BITS, raw, headerLength, NONCE_LENGTH));
            cipher.updateAAD(raw, 0, headerLength);
            int offset = headerLength + NONCE_LENGTH;
            byte[] plain = cipher.doFinal(raw, offset, raw.length - offset);
            return JSON.readValue(plain, Body.class).toClaims();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            // Authentication failure, or a body we sealed ourselves that no longer parses: either way
            // the token is unusable, and the reason stays out of the message.
            throw invalid();
        }
    }

    private static SessionTokenException invalid() {
        return new SessionTokenException(SessionTokenException.Reason.INVALID);
    }

    /** The sealed JSON body, with short names to keep tokens small. */
    record Body(
            @JsonProperty("k") String accessKeyId,
            @JsonProperty("s") String secret,
            @JsonProperty("t") SessionType type,
            @JsonProperty("a") String accountId,
            @JsonProperty("p") String principalArn,
            @JsonProperty("i") String principalId,
            @JsonProperty("n") String sessionName,
            @JsonProperty("si") String sourceIdentity,
            @JsonProperty("tg") Map<String, String> tags,
            @JsonProperty("tt") Set<String> transitiveTagKeys,
            @JsonProperty("sp") String sessionPolicy,
            @JsonProperty("pa") List<String> policyArns,
            @JsonProperty("ia") long issuedAtMillis,
            @JsonProperty("ea") long expiresAtMillis,
            @JsonProperty("rc") boolean roleChained,
            @JsonProperty("sa") String sourceArn,
            @JsonProperty("sc") String sourceAccount) {

        static Body of(SessionClaims c) {
            return new Body(c.accessKeyId(), c.secretAccessKey(), c.type(), c.accountId(), c.principalArn(),
                    c.principalId(), c.sessionName(), c.sourceIdentity(), c.tags(), c.transitiveTagKeys(),
                    c.sessionPolicy(), c.policyArns(), c.issuedAt().toEpochMilli(), c.expiresAt().toEpochMilli(),
                    c.roleChained(), c.sourceArn(), c.sourceAccount());
        }

        SessionClaims toClaims() {
            return new SessionClaims(accessKeyId, secret, type, accountId, principalArn, principalId, sessionName,
                    sourceIdentity, tags, transitiveTagKeys, sessionPolicy, policyArns,
                    Instant.ofEpochMilli(issuedAtMillis), Instant.ofEpochMilli(expiresAtMillis), roleChained,
                    sourceArn, sourceAccount);
        }

        @Override
        public String toString() {
            return "Body[<sealed>]";
        }
    }
}
