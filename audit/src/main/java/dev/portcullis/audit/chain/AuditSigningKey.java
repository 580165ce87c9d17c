package dev.portcullis.audit.chain;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * The node's audit signing key (Ed25519). A running node keeps it in the keyring: its PKCS#8
 * encoding ({@link #generatePkcs8()}) is sealed with the keyring's master key and stored per node
 * (see {@code dev.portcullis.state.keyring.NodeKeys}), and opened into a key with {@link
 * #fromPkcs8(byte[])}. Implementations never expose the private key.
 */
public interface AuditSigningKey {

    /** A short stable id of the public key (first 16 hex digits of SHA-256 of its X.509 encoding). */
    String keyId();

    PublicKey publicKey();

    /** An Ed25519 signature of {@code data}. */
    byte[] sign(byte[] data);

    /**
     * The key whose PKCS#8 (DER) encoding is given.
     *
     * @throws IllegalArgumentException when it is not an Ed25519 private key
     */
    static AuditSigningKey fromPkcs8(byte[] der) {
        return Ed25519SigningKey.fromPkcs8(der);
    }

    /** The PKCS#8 (DER) encoding of a fresh key, for sealing into the keyring. */
    static byte[] generatePkcs8() {
        return Ed25519SigningKey.generate().pkcs8();
    }

    /**
     * Reads the PKCS#8 encoding of a PEM key file written by releases that kept the key in the data
     * directory ({@link #legacyFile}), so that it can be imported into the keyring.
     */
    static byte[] readLegacyFile(Path pemFile) throws IOException {
        return Ed25519SigningKey.readPem(pemFile).pkcs8();
    }

    /** Where releases before the keyring held the key kept it: {@code <dataDir>/audit/audit-signing-key.pem}. */
    static Path legacyFile(Path dataDir) {
        return dataDir.resolve("audit").resolve("audit-signing-key.pem");
    }

    /** A fresh key held only in memory (tests, benchmarks). */
    static AuditSigningKey ephemeral() {
        return Ed25519SigningKey.generate();
    }
}
