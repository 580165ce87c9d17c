package dev.portcullis.audit.chain;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * The node's audit signing key (Ed25519). The seam the server feeds from the keyring; until the
 * keyring exists, {@link #loadOrCreate(Path)} keeps the key in a PKCS#8 file (mode 0600) in the
 * data directory. Implementations never expose the private key.
 */
public interface AuditSigningKey {

    /** A short stable id of the public key (first 16 hex digits of SHA-256 of its X.509 encoding). */
    String keyId();

    PublicKey publicKey();

    /** An Ed25519 signature of {@code data}. */
    byte[] sign(byte[] data);

    /**
     * Loads the key from {@code pkcs8File}, generating it (and writing the file with mode 0600)
     * when it does not exist.
     */
    static AuditSigningKey loadOrCreate(Path pkcs8File) throws IOException {
        return FileSigningKey.loadOrCreate(pkcs8File);
    }

    /** Where the key lives in a data directory until the keyring holds it: {@code <dataDir>/audit/audit-signing-key.pem}. */
    static Path defaultFile(Path dataDir) {
        return dataDir.resolve("audit").resolve("audit-signing-key.pem");
    }

    /** A fresh key held only in memory (tests, benchmarks). */
    static AuditSigningKey ephemeral() {
        return FileSigningKey.generate();
    }
}
