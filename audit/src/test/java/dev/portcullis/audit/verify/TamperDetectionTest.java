package dev.portcullis.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.Trails;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.CanonicalJson;
import dev.portcullis.audit.sink.SegmentFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes 12 events with a digest every 5 records, so the segment's line k holds seq k:
 * events 1-5, digest 6, events 7-11, digest 12, events 13-14, final digest 15. Then tampers.
 */
class TamperDetectionTest {

    @TempDir
    Path dir;

    private final AuditSigningKey key = AuditSigningKey.ephemeral();
    private Path segment;
    private String name;

    @BeforeEach
    void writeTrail() throws Exception {
        Trails.write(Trails.segments(dir), key, Trails.config("n1", 5), 1, 12);
        segment = Trails.onlySegment(dir);
        name = segment.getFileName().toString();
    }

    @Test
    void anUntouchedTrailVerifiesWithItsCounts() throws Exception {
        VerificationResult result = verify();
        assertThat(result.verified()).as(result.summary()).isTrue();
        assertThat(result.events()).isEqualTo(12);
        assertThat(result.digests()).isEqualTo(3);
        assertThat(result.nodes().get(0).unsignedTail()).isZero();
        assertThat(result.summary()).startsWith("verified 12 events, 0 restart markers and 3 digests on 1 node(s)");
    }

    @Test
    void namesAnEditedEvent() throws Exception {
        List<String> lines = lines();
        lines.set(2, lines.get(2).replace("/jobs/3", "/jobs/99"));
        write(lines);
        assertProblem(Problem.Kind.EDITED, 3, name + ":3");
    }

    @Test
    void namesTheGapLeftByADeletedEvent() throws Exception {
        List<String> lines = lines();
        lines.remove(3);
        write(lines);
        Problem p = assertProblem(Problem.Kind.DELETED, 5, name + ":4");
        assertThat(p.message()).contains("record 4 missing");
    }

    @Test
    void namesAnInsertedEvent() throws Exception {
        List<String> lines = lines();
        lines.add(8, lines.get(1));
        write(lines);
        assertProblem(Problem.Kind.INSERTED, 2, name + ":9");
    }

    @Test
    void namesSwappedEventsAsReordered() throws Exception {
        List<String> lines = lines();
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        write(lines);
        assertProblem(Problem.Kind.REORDERED, 4, name + ":3");
    }

    @Test
    void namesADigestWhoseSignatureWasAltered() throws Exception {
        List<String> lines = lines();
        ObjectNode digest = (ObjectNode) new ObjectMapper().readTree(lines.get(5));
        String sig = digest.path("digest").path("signature").asText();
        char flipped = sig.charAt(10) == 'A' ? 'B' : 'A';
        ((ObjectNode) digest.get("digest")).put("signature", sig.substring(0, 10) + flipped + sig.substring(11));
        lines.set(5, CanonicalJson.string(digest));
        write(lines);
        assertProblem(Problem.Kind.BAD_SIGNATURE, 6, name + ":6");
    }

    @Test
    void namesATruncatedLastLine() throws Exception {
        String text = Files.readString(segment);
        Files.writeString(segment, text.substring(0, text.length() - 40));
        Problem p = assertProblem(Problem.Kind.MALFORMED, -1, name + ":15");
        assertThat(p.message()).contains("truncated");
    }

    @Test
    void namesTheSuccessorOfAnEventThatWasEditedAndRehashed() throws Exception {
        List<String> lines = lines();
        ObjectNode record = (ObjectNode) new ObjectMapper().readTree(lines.get(2).replace("/jobs/3", "/jobs/99"));
        record.remove("hash");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.bytes(record)));
        record.put("hash", hash);
        lines.set(2, CanonicalJson.string(record));
        write(lines);
        assertProblem(Problem.Kind.CHAIN_BROKEN, 4, name + ":4");
    }

    @Test
    void rejectsDigestsUnderAnotherPublicKey() throws Exception {
        VerificationResult result = new AuditVerifier(AuditSigningKey.ephemeral().publicKey()).verify(new SegmentFiles(dir));
        assertThat(result.firstProblem()).get().extracting(Problem::kind, Problem::seq)
                .containsExactly(Problem.Kind.BAD_SIGNATURE, 6L);
    }

    @Test
    void eachNodesChainVerifiesWithItsOwnKeyAmongSeveral() throws Exception {
        AuditSigningKey other = AuditSigningKey.ephemeral();
        Trails.write(Trails.segments(dir), other, Trails.config("n2", 5), 1, 7);
        VerificationResult both = new AuditVerifier(List.of(key.publicKey(), other.publicKey())).verify(new SegmentFiles(dir));
        assertThat(both.verified()).as(both.summary()).isTrue();
        assertThat(both.events()).isEqualTo(19);

        VerificationResult onlyN1 = new AuditVerifier(key.publicKey()).verify(new SegmentFiles(dir));
        assertThat(onlyN1.firstProblem()).get().extracting(Problem::nodeId, Problem::kind)
                .containsExactly("n2", Problem.Kind.BAD_SIGNATURE);
        assertThat(onlyN1.firstProblem().orElseThrow().message()).contains("signed by key " + other.keyId());
    }

    private Problem assertProblem(Problem.Kind kind, long seq, String location) throws Exception {
        VerificationResult result = verify();
        assertThat(result.verified()).isFalse();
        Problem p = result.firstProblem().orElseThrow();
        assertThat(p.kind()).as(p.toString()).isEqualTo(kind);
        assertThat(p.seq()).as(p.toString()).isEqualTo(seq);
        assertThat(p.location()).isEqualTo(location);
        assertThat(result.summary()).startsWith("FAILED: node n1, " + location);
        return p;
    }

    private VerificationResult verify() throws Exception {
        return new AuditVerifier(key.publicKey()).verify(new SegmentFiles(dir));
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(segment, StandardCharsets.UTF_8));
    }

    private void write(List<String> lines) throws Exception {
        Files.writeString(segment, String.join("\n", lines) + "\n");
    }
}
