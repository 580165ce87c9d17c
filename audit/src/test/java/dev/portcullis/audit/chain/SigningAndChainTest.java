package dev.portcullis.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningAndChainTest {

    @TempDir
    Path dir;

    @Test
    void aKeyRoundTripsThroughItsPkcs8EncodingWithoutShowingIt() {
        byte[] der = AuditSigningKey.generatePkcs8();
        AuditSigningKey a = AuditSigningKey.fromPkcs8(der);
        AuditSigningKey b = AuditSigningKey.fromPkcs8(der);
        assertThat(b.keyId()).isEqualTo(a.keyId());
        assertThat(b.publicKey().getEncoded()).isEqualTo(a.publicKey().getEncoded());
        assertThat(a.toString()).isEqualTo("AuditSigningKey[" + a.keyId() + "]");
        byte[] signed = a.sign("x".getBytes());
        assertThat(signed).hasSize(64);
    }

    @Test
    void readsALegacyPemKeyFileAndRejectsOneThatIsNotAnEd25519Key() throws Exception {
        byte[] der = AuditSigningKey.generatePkcs8();
        Path legacy = AuditSigningKey.legacyFile(dir);
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, PublicKeys.pem("PRIVATE KEY", der));
        assertThat(AuditSigningKey.readLegacyFile(legacy)).isEqualTo(der);

        Path file = dir.resolve("bad.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> AuditSigningKey.readLegacyFile(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an Ed25519");
        assertThatThrownBy(() -> AuditSigningKey.fromPkcs8(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsEveryPublicKeyOfAMultiKeyPemFile() throws Exception {
        AuditSigningKey a = AuditSigningKey.ephemeral();
        AuditSigningKey b = AuditSigningKey.ephemeral();
        Path file = dir.resolve("keys.pem");
        Files.writeString(file, "# node a\n" + PublicKeys.pem(a.publicKey()) + "# node b\n" + PublicKeys.pem(b.publicKey()));
        assertThat(PublicKeys.readAll(file)).extracting(PublicKeys::keyId).containsExactly(a.keyId(), b.keyId());
    }

    @Test
    void exportedPublicKeyPemParsesBackToTheSameKey() {
        AuditSigningKey key = AuditSigningKey.ephemeral();
        String pem = PublicKeys.pem(key.publicKey());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(PublicKeys.parse(pem).getEncoded()).isEqualTo(key.publicKey().getEncoded());
    }

    @Test
    void canonicalJsonSortsKeysRecursivelyAndHasNoWhitespace() throws Exception {
        var node = new ObjectMapper().readTree("{ \"b\": 1, \"a\": {\"z\": [true, null], \"y\": \"é\"} }");
        assertThat(CanonicalJson.string(node)).isEqualTo("{\"a\":{\"y\":\"é\",\"z\":[true,null]},\"b\":1}");
    }

    @Test
    void eachRecordCarriesThePreviousRecordsHashAndDigestsAreSignedOverTheHead() throws Exception {
        AuditSigningKey key = AuditSigningKey.ephemeral();
        Chain chain = Chain.resume("n1", key, ChainTail.empty());
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        ChainRecord first = chain.append(Events.invoke(1), t);
        ChainRecord second = chain.append(Events.invoke(2), t.plusSeconds(1));
        ChainRecord digest = chain.digest(t.plusSeconds(2));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(ChainRecord.GENESIS);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(ChainRecord.parse(second.line()).computedHash()).isEqualTo(second.hash());

        Digest d = Digest.of(ChainRecord.parse(digest.line()));
        assertThat(d.firstSeq()).isEqualTo(1);
        assertThat(d.lastSeq()).isEqualTo(2);
        assertThat(d.count()).isEqualTo(2);
        assertThat(d.headHash()).isEqualTo(second.hash());
        assertThat(d.previousSignature()).isEmpty();
        assertThat(d.signatureVerifies(key.publicKey())).isTrue();
        assertThat(d.signatureVerifies(AuditSigningKey.ephemeral().publicKey())).isFalse();

        chain.append(Events.invoke(3), t.plusSeconds(3));
        Digest next = Digest.of(ChainRecord.parse(chain.digest(t.plusSeconds(4)).line()));
        assertThat(next.previousSignature()).isEqualTo(d.signature());
        assertThat(next.firstSeq()).isEqualTo(4);
    }

    @Test
    void aSealedLineIsExactlyTheCanonicalJsonOfItselfForEveryKind() throws Exception {
        Chain chain = Chain.resume("node-1.a_b", AuditSigningKey.ephemeral(), ChainTail.empty());
        Instant t = Instant.parse("2026-11-20T10:00:00.123456789Z");
        for (ChainRecord r : new ChainRecord[] {chain.append(Events.fullOfSecrets(1), t), chain.restart(t, "node \"started\" é", 3),
                chain.digest(t)}) {
            assertThat(CanonicalJson.string(CanonicalJson.parse(r.line()))).isEqualTo(r.line());
            assertThat(ChainRecord.parse(r.line()).computedHash()).isEqualTo(r.hash());
        }
    }

    @Test
    void theDirectEventWriterProducesTheCanonicalFormOfTheEventTree() {
        var minimal = dev.portcullis.audit.event.AuditEvent.builder().eventName("GetRole").eventTime(Instant.EPOCH).build();
        for (var e : new dev.portcullis.audit.event.AuditEvent[] {Events.invoke(7), Events.invoke(3), Events.fullOfSecrets(1), minimal}) {
            assertThat(CanonicalEvent.json(e)).isEqualTo(CanonicalJson.string(dev.portcullis.audit.event.EventJson.toJson(e)));
        }
    }

    @Test
    void anEventPreparedOnAnotherThreadSealsToTheSameBytesAsTheTreeForm() throws Exception {
        var minimal = dev.portcullis.audit.event.AuditEvent.builder().eventName("GetRole").eventTime(Instant.EPOCH).build();
        Instant t = Instant.parse("2026-11-20T10:00:00.100Z");
        String prev = ChainRecord.GENESIS;
        long seq = 41;
        for (var e : new dev.portcullis.audit.event.AuditEvent[] {Events.invoke(7), Events.fullOfSecrets(1), minimal}) {
            PreparedEvent prepared = java.util.concurrent.CompletableFuture.supplyAsync(() -> PreparedEvent.of(e)).get();
            ChainRecord fast = ChainRecord.sealPrepared("node-1.a_b", seq, t, prev, prepared);
            ChainRecord tree = ChainRecord.seal(ChainRecord.Kind.event, "node-1.a_b", seq, t, prev,
                    dev.portcullis.audit.event.EventJson.toJson(e));
            assertThat(fast.line()).isEqualTo(tree.line());
            assertThat(fast.hash()).isEqualTo(tree.hash()).isEqualTo(ChainRecord.parse(fast.line()).computedHash());
            assertThat(ChainRecord.sealPrepared("node-1.a_b", seq, t, prev, prepared).hash())
                    .as("a prepared event may be sealed again").isEqualTo(fast.hash());
            prev = fast.hash();
            seq++;
            t = t.plusMillis(1);
        }
    }

    @Test
    void aTruncatedLineIsMalformedNotARecord() {
        ChainRecord r = Chain.resume("n1", AuditSigningKey.ephemeral(), ChainTail.empty())
                .append(Events.invoke(1), Instant.now());
        assertThatThrownBy(() -> ChainRecord.parse(r.line().substring(0, r.line().length() / 2)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("truncated");
    }
}
