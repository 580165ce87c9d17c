package dev.portcullis.audit.chain;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Ed25519 key pair from the JDK's own provider, optionally persisted as a PEM PKCS#8 file. */
final class FileSigningKey implements AuditSigningKey {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private FileSigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = PublicKeys.keyId(publicKey);
    }

    static FileSigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new FileSigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides Ed25519 since Java 15", e);
        }
    }

    static FileSigningKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            FileSigningKey key = generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            String pem = PublicKeys.pem("PRIVATE KEY", key.privateKey.getEncoded());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, pem, StandardOpenOption.TRUNCATE_EXISTING);
                return key;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        try {
            byte[] der = PublicKeys.fromPem(Files.readString(file), "PRIVATE KEY");
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new FileSigningKey(privateKey, PublicKeys.derivePublic(privateKey));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("audit signing key " + file + " is not an Ed25519 PKCS#8 PEM key");
        }
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
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "AuditSigningKey[" + keyId + "]";
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
