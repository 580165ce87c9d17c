package dev.portcullis.audit.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair. The JDK's own provider generates, encodes and parses keys (PKCS#8, X.509, the key
 * id); signatures are made by Bouncy Castle's RFC 8032 code, which signs in ~0.05 ms where the JDK 17
 * provider (pure Java, generic field arithmetic) takes ~1 ms: the writer signs a digest every 1,000
 * records, so that was ~1 µs of the writer's CPU per event. Ed25519 signatures are deterministic
 * (RFC 8032 §5.1.6): both produce the same bytes (a test compares them over many keys and messages),
 * and {@code audit verify} checks them with the JDK's provider alone.
 *
 * <p>Immutable and thread-safe (signing with a given public key keeps no state).
 */
final class Ed25519SigningKey implements AuditSigningKey {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;
    private final Ed25519PrivateKeyParameters signing;
    private final Ed25519PublicKeyParameters verifying;

    private Ed25519SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = PublicKeys.keyId(publicKey);
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("Ed25519 private key bytes unavailable"));
        try {
            this.signing = new Ed25519PrivateKeyParameters(seed, 0);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        this.verifying = signing.generatePublicKey();
        // Both libraries must derive the same public key from the seed, or signatures would not verify.
        byte[] x509 = publicKey.getEncoded();
        if (!Arrays.equals(verifying.getEncoded(), Arrays.copyOfRange(x509, x509.length - Ed25519.PUBLIC_KEY_SIZE,
                x509.length))) {
            throw new IllegalStateException("Bouncy Castle and the JDK derive different Ed25519 public keys");
        }
    }

    static Ed25519SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new Ed25519SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides Ed25519 since Java 15", e);
        }
    }

    static Ed25519SigningKey fromPkcs8(byte[] der) {
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Ed25519SigningKey(privateKey, PublicKeys.derivePublic(privateKey));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key");
        }
    }

    static Ed25519SigningKey readPem(Path file) throws IOException {
        try {
            return fromPkcs8(PublicKeys.fromPem(Files.readString(file), "PRIVATE KEY"));
        } catch (IllegalArgumentException e) {
            throw new IOException("audit signing key " + file + " is not an Ed25519 PKCS#8 PEM key");
        }
    }

    byte[] pkcs8() {
        return privateKey.getEncoded();
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        signing.sign(Ed25519.Algorithm.Ed25519, verifying, null, data, 0, data.length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "AuditSigningKey[" + keyId + "]";
    }
}
