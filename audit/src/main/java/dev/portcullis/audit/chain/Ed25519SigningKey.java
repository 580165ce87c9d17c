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
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;

/** Ed25519 key pair from the JDK's own provider. */
final class Ed25519SigningKey implements AuditSigningKey {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private Ed25519SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = PublicKeys.keyId(publicKey);
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
}
