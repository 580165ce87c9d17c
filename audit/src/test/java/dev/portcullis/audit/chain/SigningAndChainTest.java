package dev.portcullis.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningAndChainTest {

    @TempDir
    Path dir;

    @Test
    void generatesTheSigningKeyOnceWithOwnerOnlyPermissionsAndReloadsTheSamePair() throws Exception {
        Path file = dir.resolve("keys/audit-signing-key.pem");
        AuditSigningKey created = AuditSigningKey.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        AuditSigningKey loaded = AuditSigningKey.loadOrCreate(file);
        assertThat(loaded.keyId()).isEqualTo(created.keyId());
        assertThat(loaded.publicKey().getEncoded()).isEqualTo(created.publicKey().getEncoded());
        assertThat(loaded.toString()).doesNotContain(Files.readString(file).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void rejectsAKeyFileThatIsNotAnEd25519Key() throws Exception {
        Path file = dir.resolve("bad.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> AuditSigningKey.loadOrCreate(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an Ed25519");
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
    void aTruncatedLineIsMalformedNotARecord() {
        ChainRecord r = Chain.resume("n1", AuditSigningKey.ephemeral(), ChainTail.empty())
                .append(Events.invoke(1), Instant.now());
        assertThatThrownBy(() -> ChainRecord.parse(r.line().substring(0, r.line().length() / 2)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("truncated");
    }
}
