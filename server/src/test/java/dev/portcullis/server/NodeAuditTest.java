package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.PublicKeys;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.recorder.AuditConfig;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.audit.sink.SegmentFiles;
import dev.portcullis.audit.verify.AuditVerifier;
import dev.portcullis.audit.verify.NodeReport;
import dev.portcullis.audit.verify.VerificationResult;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.state.change.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's audit signing key lives in the keyring (sealed in the store), not in a file: it
 * survives restarts, so digests from before and after one verify with the one exported public key,
 * and a key file left by an earlier release is imported so its chain keeps verifying.
 */
class NodeAuditTest {

    static final String ACCOUNT = "111122223333";

    @TempDir
    Path dir;

    @Test
    void theKeyringKeepsTheKeyAcrossRestartsAndOneExportedKeyVerifiesBothRuns() throws Exception {
        PublicKey exported;
        String nodeId;
        try (PortcullisNode node = start(dir)) {
            nodeId = node.nodeId();
            node.state().apply(Change.CreateUser.of(ACCOUNT, "before-restart", "/"));
            exported = PublicKeys.parse(PublicKeys.pem(only(node)));
        }
        assertThat(Files.readString(dir.resolve("node-id")).strip()).isEqualTo(nodeId);
        assertThat(Files.exists(AuditSigningKey.legacyFile(dir))).isFalse();
        assertThat(Files.readString(dir.resolve("portcullis.db"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("PRIVATE KEY");
        try (PortcullisNode node = start(dir)) {
            assertThat(node.nodeId()).isEqualTo(nodeId);
            assertThat(only(node).getEncoded()).isEqualTo(exported.getEncoded());
            node.state().apply(Change.CreateUser.of(ACCOUNT, "after-restart", "/"));
        }
        VerificationResult result = new AuditVerifier(exported).verify(new SegmentFiles(SegmentFileSink.directoryIn(dir)));
        assertThat(result.verified()).as(result.summary()).isTrue();
        NodeReport report = result.nodes().get(0);
        assertThat(report.nodeId()).isEqualTo(nodeId);
        assertThat(report.restarts()).isEqualTo(1);
        assertThat(report.digests()).isGreaterThanOrEqualTo(2);
        assertThat(report.unsignedTail()).isZero();
    }

    @Test
    void aLegacyKeyFileIsImportedIntoTheKeyringAndItsChainKeepsVerifying() throws Exception {
        byte[] der = AuditSigningKey.generatePkcs8();
        AuditSigningKey legacy = AuditSigningKey.fromPkcs8(der);
        Path keyFile = AuditSigningKey.legacyFile(dir);
        Files.createDirectories(keyFile.getParent());
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("node-id"), "old-node\n");
        AuditConfig config = AuditConfig.defaults("old-node").withDigestEvery(3, Duration.ofHours(1));
        try (AuditRecorder recorder = AuditRecorder.start(config, new SegmentFileSink(SegmentFileSink.directoryIn(dir),
                1 << 20, Duration.ofHours(1)), legacy)) {
            for (int i = 0; i < 5; i++) {
                recorder.record(AuditEvent.builder().eventTime(Instant.now()).eventSource("portcullis")
                        .eventName("Old" + i).build(), OverflowPolicy.FAIL_CLOSED);
            }
        }

        try (PortcullisNode node = start(dir)) {
            assertThat(node.nodeId()).isEqualTo("old-node");
            assertThat(Files.exists(keyFile)).isFalse();
            assertThat(PublicKeys.keyId(only(node))).isEqualTo(legacy.keyId());
            node.state().apply(Change.CreateUser.of(ACCOUNT, "after-import", "/"));
        }
        VerificationResult result = new AuditVerifier(legacy.publicKey())
                .verify(new SegmentFiles(SegmentFileSink.directoryIn(dir)));
        assertThat(result.verified()).as(result.summary()).isTrue();
        assertThat(result.nodes()).singleElement().satisfies(n -> {
            assertThat(n.nodeId()).isEqualTo("old-node");
            assertThat(n.restarts()).isEqualTo(1);
            assertThat(n.events()).isGreaterThan(5);
        });
    }

    @Test
    void aLegacyKeyFileForANodeThatAlreadyHasAKeyIsSetAsideNotUsed() throws Exception {
        PublicKey kept;
        try (PortcullisNode node = start(dir)) {
            kept = only(node);
        }
        byte[] other = AuditSigningKey.generatePkcs8();
        Path keyFile = AuditSigningKey.legacyFile(dir);
        Files.createDirectories(keyFile.getParent());
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(other)
                + "\n-----END PRIVATE KEY-----\n");
        try (PortcullisNode node = start(dir)) {
            assertThat(only(node).getEncoded()).isEqualTo(kept.getEncoded());
        }
        assertThat(Files.exists(keyFile)).isFalse();
        assertThat(keyFile.resolveSibling("audit-signing-key.pem.not-imported")).exists();
    }

    private static PublicKey only(PortcullisNode node) {
        Map<String, PublicKey> keys = NodeAudit.publicKeys(node.state().nodeKeys());
        assertThat(keys).containsOnlyKeys(node.nodeId());
        return keys.get(node.nodeId());
    }

    static PortcullisNode start(Path dataDir) throws Exception {
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dataDir.toString()).load();
        return PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, "AKIAROOTEXAMPLE00001",
                PortcullisNode.ENV_ROOT_SECRET, "rootSecretExampleKey0000000000000000000"), parts -> List.of());
    }

    @Test
    void auditExportMirrorsEveryRecordAsAVerifiableJsonLineWithoutSecrets() throws Exception {
        Path export = dir.resolve("shipped/audit.jsonl");
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.toString())
                .flag("audit-export", export.toString()).load();
        String secret;
        try (PortcullisNode node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, "AKIAROOTEXAMPLE00001",
                PortcullisNode.ENV_ROOT_SECRET, "rootSecretExampleKey0000000000000000000"), parts -> List.of())) {
            node.state().apply(Change.CreateUser.of(ACCOUNT, "shipped-user", "/"));
            secret = node.state().createAccessKey(ACCOUNT, "shipped-user").secret().revealAsString();
        }
        List<String> lines = Files.readAllLines(export);
        assertThat(lines).isNotEmpty();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"eventName\":\"CreateUser\"").contains("shipped-user"));
        assertThat(String.join("\n", lines)).doesNotContain(secret).doesNotContain("rootSecretExampleKey");
        // Each shipped line is the stored record: the export is byte for byte the segment files' content.
        StringBuilder stored = new StringBuilder();
        try (var files = Files.list(SegmentFileSink.directoryIn(dir))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                stored.append(Files.readString(f));
            }
        }
        assertThat(stored.toString()).isEqualTo(String.join("\n", lines) + "\n");
    }

    @Test
    void aBlankAuditExportIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigLoader().flag("audit-export", " ").load())
                .hasMessageContaining("audit-export");
    }
}
