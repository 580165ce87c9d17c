package dev.portcullis.audit.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.HexFormat;

/** PEM encoding of audit public keys, as exported by {@code portcullis audit public-key} and read by {@code verify}. */
public final class PublicKeys {

    private PublicKeys() {}

    /** The key as a PEM {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo). */
    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** Reads a PEM {@code PUBLIC KEY} file holding an Ed25519 key. */
    public static PublicKey read(Path pemFile) throws IOException {
        try {
            return parse(Files.readString(pemFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(pemFile + ": " + e.getMessage());
        }
    }

    /**
     * Reads every PEM {@code PUBLIC KEY} block of a file (one per node for a cluster's trail, as
     * {@code portcullis audit public-key --all} prints them).
     */
    public static List<PublicKey> readAll(Path pemFile) throws IOException {
        String text = Files.readString(pemFile);
        List<PublicKey> keys = new ArrayList<>();
        String end = "-----END PUBLIC KEY-----";
        int from = 0;
        try {
            for (int e = text.indexOf(end, from); e >= 0; e = text.indexOf(end, from)) {
                keys.add(parse(text.substring(from, e + end.length())));
                from = e + end.length();
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(pemFile + ": " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new IOException(pemFile + ": no PEM PUBLIC KEY block");
        }
        return keys;
    }

    /**
     * Parses PEM text holding an Ed25519 public key.
     *
     * @throws IllegalArgumentException when it does not
     */
    public static PublicKey parse(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(fromPem(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
    }

    /** First 16 hex digits of the SHA-256 of the key's X.509 encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    static byte[] fromPem(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no PEM " + type + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    }

    /**
     * The public half of an Ed25519 private key. The JDK has no direct call for it, but its
     * generator derives the pair from 32 bytes of randomness that are the private key itself
     * (RFC 8032 §5.1.5), so feeding it those bytes regenerates the same pair.
     */
    static PublicKey derivePublic(PrivateKey privateKey) throws GeneralSecurityException {
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new GeneralSecurityException("private key bytes unavailable"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
        return g.generateKeyPair().getPublic();
    }

    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            System.arraycopy(bytes, 0, out, 0, Math.min(out.length, bytes.length));
        }
    }
}
