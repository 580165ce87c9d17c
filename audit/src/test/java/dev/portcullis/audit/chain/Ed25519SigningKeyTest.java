package dev.portcullis.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Digests are signed with Bouncy Castle but verified (by {@code audit verify}, by anyone holding the
 * public key) with the JDK's provider: the two must agree byte for byte. Ed25519 is deterministic, so
 * they do exactly when both implement RFC 8032 correctly.
 */
class Ed25519SigningKeyTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The PKCS#8 (RFC 8410) encoding of an Ed25519 private key is this prefix and the 32-byte seed. */
    private static final String PKCS8_PREFIX = "302e020100300506032b657004220420";

    @Test
    void signsTheRfc8032TestVectors() {
        // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
        assertThat(sign("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", ""))
                .isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                        + "d25bf5f0595bbe24655141438e7a100b");
        assertThat(sign("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72"))
                .isEqualTo("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
                        + "387b2eaeb4302aeeb00d291612bb0c00");
    }

    @Test
    void producesTheJdkProvidersSignatureForManyKeysAndMessages() throws Exception {
        Random random = new Random(8032);
        for (int k = 0; k < 40; k++) {
            byte[] der = AuditSigningKey.generatePkcs8();
            AuditSigningKey key = AuditSigningKey.fromPkcs8(der);
            PrivateKey jdkKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            for (int m = 0; m < 10; m++) {
                byte[] message = new byte[random.nextInt(k % 10 == 0 ? 5000 : 600)];
                random.nextBytes(message);
                Signature jdk = Signature.getInstance("Ed25519");
                jdk.initSign(jdkKey);
                jdk.update(message);
                byte[] ours = key.sign(message);
                assertThat(ours).as("key %d, message %d", k, m).isEqualTo(jdk.sign());

                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key.publicKey());
                verifier.update(message);
                assertThat(verifier.verify(ours)).isTrue();
            }
        }
    }

    @Test
    void aDigestSignedByTheKeyVerifiesWithTheJdkAlone() {
        AuditSigningKey key = AuditSigningKey.ephemeral();
        Chain chain = Chain.resume("n1", key, ChainTail.empty());
        chain.append(dev.portcullis.audit.Events.invoke(1), java.time.Instant.parse("2026-11-23T06:00:00Z"));
        ChainRecord record = chain.digest(java.time.Instant.parse("2026-11-23T06:00:01Z"));
        Digest digest;
        try {
            digest = Digest.of(record);
        } catch (MalformedRecordException e) {
            throw new AssertionError(e);
        }
        assertThat(digest.signatureVerifies(key.publicKey())).isTrue();
        assertThat(digest.signatureVerifies(AuditSigningKey.ephemeral().publicKey())).isFalse();
    }

    private static String sign(String seedHex, String messageHex) {
        AuditSigningKey key = AuditSigningKey.fromPkcs8(HEX.parseHex(PKCS8_PREFIX + seedHex));
        return HEX.formatHex(key.sign(HEX.parseHex(messageHex)));
    }
}
