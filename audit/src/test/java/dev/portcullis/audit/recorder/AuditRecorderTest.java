package dev.portcullis.audit.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.Events;
import dev.portcullis.audit.Trails;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.query.AuditQuery;
import dev.portcullis.audit.query.AuditSearch;
import dev.portcullis.audit.sink.JsonLinesExport;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.audit.sink.SegmentFiles;
import dev.portcullis.audit.verify.AuditVerifier;
import dev.portcullis.audit.verify.VerificationResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditRecorderTest {

    @TempDir
    Path dir;

    private final AuditSigningKey key = AuditSigningKey.ephemeral();

    @Test
    void aRestartContinuesTheChainFromTheLastDigestAndRecordsTheRestart() throws Exception {
        Trails.write(Trails.segments(dir), key, Trails.config("n1", 5), 1, 7);   // 1-5, d6, 7-8, d9
        Trails.write(Trails.segments(dir), key, Trails.config("n1", 5), 8, 3);   // restart 10, 11-13, d14

        List<ChainRecord> records = records();
        assertThat(records).hasSize(14);
        ChainRecord restart = records.get(9);
        assertThat(restart.kind()).isEqualTo(ChainRecord.Kind.restart);
        assertThat(restart.prevHash()).isEqualTo(records.get(8).hash());
        assertThat(restart.body().path("resumedAfterSeq").asLong()).isEqualTo(9);
        assertThat(restart.body().path("discardedBytes").asLong()).isZero();

        VerificationResult result = verify();
        assertThat(result.verified()).as(result.summary()).isTrue();
        assertThat(result.events()).isEqualTo(10);
        assertThat(result.nodes().get(0).restarts()).isEqualTo(1);
    }

    @Test
    void aRestartAfterACrashCutsTheTornLastLineAndDigestsTheUndigestedRecords() throws Exception {
        Trails.write(Trails.segments(dir), key, Trails.config("n1", 5), 1, 7);   // 1-5, d6, 7-8, d9
        Path segment = Trails.onlySegment(dir);
        List<String> lines = Files.readAllLines(segment);
        String torn = lines.get(8).substring(0, 50);                              // the crash: no final digest, half a line
        Files.writeString(segment, String.join("\n", lines.subList(0, 8)) + "\n" + torn);

        Trails.write(Trails.segments(dir), key, Trails.config("n1", 5), 8, 2);   // restart 9, 10-11, d12

        List<ChainRecord> records = records();
        ChainRecord restart = records.get(8);
        assertThat(restart.kind()).isEqualTo(ChainRecord.Kind.restart);
        assertThat(restart.body().path("discardedBytes").asLong()).isEqualTo(50);
        assertThat(restart.body().path("undigestedRecords").asLong()).isEqualTo(2);
        JsonNode digest = records.get(11).body();
        assertThat(digest.path("firstSeq").asLong()).isEqualTo(7);
        assertThat(digest.path("count").asLong()).isEqualTo(5);
        VerificationResult result = verify();
        assertThat(result.verified()).as(result.summary()).isTrue();
    }

    @Test
    void failClosedRefusesWith503WhileTheSinkFailsAndNoAdmittedEventIsDropped() throws Exception {
        FlakySink sink = new FlakySink(Trails.segments(dir));
        AuditRecorder recorder = AuditRecorder.start(Trails.config("n1", 5).withQueue(4, 2), sink, key);
        recorder.record(Events.invoke(1), OverflowPolicy.FAIL_CLOSED);
        await(() -> recorder.health().recordsWritten() == 1);

        sink.failing.set(true);
        recorder.record(Events.invoke(2), OverflowPolicy.FAIL_CLOSED);       // admitted while still healthy
        await(() -> !recorder.health().healthy());
        assertThatThrownBy(() -> recorder.reserve(OverflowPolicy.FAIL_CLOSED))
                .isInstanceOfSatisfying(AuditUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("ServiceUnavailable");
                });

        // The gateway's policy buffers until the queue (4 places, one held by event 2) is full.
        List<Integer> buffered = new ArrayList<>();
        for (int i = 3; i <= 10; i++) {
            try {
                recorder.record(Events.invoke(i), OverflowPolicy.BUFFER);
                buffered.add(i);
            } catch (AuditUnavailableException full) {
                assertThat(full.getMessage()).contains("behind");
            }
        }
        assertThat(buffered).containsExactly(3, 4, 5);
        assertThat(recorder.health().pending()).isEqualTo(4);

        sink.failing.set(false);
        await(() -> recorder.health().healthy() && recorder.health().pending() == 0);
        recorder.record(Events.invoke(11), OverflowPolicy.FAIL_CLOSED);
        recorder.close();

        assertThat(sink.failedAppends.get()).isPositive();
        List<String> requestIds = new AuditSearch(new SegmentFiles(dir)).query(AuditQuery.all(100)).events().stream()
                .map(e -> e.event().requestId()).toList();
        assertThat(requestIds).containsExactly("req-1", "req-2", "req-3", "req-4", "req-5", "req-11");
        assertThat(verify().verified()).isTrue();
    }

    @Test
    void anUnusedSlotGivesItsPlaceBack() throws Exception {
        try (AuditRecorder recorder = AuditRecorder.start(Trails.config("n1", 5).withQueue(1, 1), Trails.segments(dir), key)) {
            recorder.reserve(OverflowPolicy.FAIL_CLOSED).close();
            try (AuditSlot slot = recorder.reserve(OverflowPolicy.FAIL_CLOSED)) {
                slot.record(Events.invoke(1));
                assertThatThrownBy(() -> slot.record(Events.invoke(2))).isInstanceOf(IllegalStateException.class);
            }
        }
        assertThat(records()).hasSize(2);
    }

    @Test
    void refusesAfterClose() throws Exception {
        AuditRecorder recorder = AuditRecorder.start(Trails.config("n1", 5), Trails.segments(dir), key);
        recorder.close();
        assertThatThrownBy(() -> recorder.reserve(OverflowPolicy.BUFFER)).isInstanceOf(AuditUnavailableException.class);
    }

    @Test
    void writesADigestAfterTheIntervalWithoutWaitingForNRecords() throws Exception {
        AuditConfig config = Trails.config("n1", 1000).withDigestEvery(1000, Duration.ofMillis(100));
        try (AuditRecorder recorder = AuditRecorder.start(config, Trails.segments(dir), key)) {
            recorder.record(Events.invoke(1), OverflowPolicy.FAIL_CLOSED);
            await(() -> recorder.health().recordsWritten() == 2);
        }
        assertThat(records()).extracting(ChainRecord::kind)
                .containsExactly(ChainRecord.Kind.event, ChainRecord.Kind.digest);
    }

    @Test
    void rotatesSegmentsAtDigestsAndVerifiesAcrossThem() throws Exception {
        SegmentFileSink small = new SegmentFileSink(dir, 2_000, Duration.ofHours(1));
        Trails.write(small, key, Trails.config("n1", 4), 1, 20);
        List<Path> segments = Trails.segmentFiles(dir);
        assertThat(segments).hasSizeGreaterThan(2);
        for (Path s : segments.subList(0, segments.size() - 1)) {
            List<String> lines = Files.readAllLines(s);
            assertThat(lines.get(lines.size() - 1)).contains("\"kind\":\"digest\"");
        }
        assertThat(verify().events()).isEqualTo(20);
        assertThat(verify().verified()).isTrue();
    }

    @Test
    void verifiesATimeRangeOfSegmentFilesFromTheDigestBeforeIt() throws Exception {
        SegmentFileSink small = new SegmentFileSink(dir, 2_000, Duration.ofHours(1));
        Trails.write(small, key, Trails.config("n1", 4), 1, 20);
        List<ChainRecord> records = records();
        ChainRecord middleDigest = records.get(9);                         // seq 10 covers 6..9
        assertThat(middleDigest.kind()).isEqualTo(ChainRecord.Kind.digest);
        VerificationResult window = new AuditVerifier(key.publicKey()).verify(new SegmentFiles(dir),
                java.util.Optional.empty(), java.util.Optional.of(middleDigest.time()),
                java.util.Optional.of(middleDigest.time()));
        assertThat(window.verified()).as(window.summary()).isTrue();
        assertThat(window.nodes().get(0).firstSeq()).isLessThanOrEqualTo(10);
        assertThat(window.nodes().get(0).lastSeq()).isLessThan(25);
    }

    @Test
    void mirrorsRecordsToAJsonLinesExport() throws Exception {
        ByteArrayOutputStream shipped = new ByteArrayOutputStream();
        try (AuditRecorder recorder = AuditRecorder.start(Trails.config("n1", 5), Trails.segments(dir), key,
                List.of(JsonLinesExport.to(shipped, "test stream")))) {
            recorder.record(Events.invoke(1), OverflowPolicy.FAIL_CLOSED);
            recorder.record(Events.invoke(2), OverflowPolicy.FAIL_CLOSED);
        }
        List<String> lines = shipped.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).isEqualTo(Files.readAllLines(Trails.onlySegment(dir)));
        assertThat(lines.get(0)).contains("\"requestID\":\"req-1\"");
    }

    private List<ChainRecord> records() throws Exception {
        List<ChainRecord> out = new ArrayList<>();
        for (Path s : Trails.segmentFiles(dir)) {
            for (String line : Files.readAllLines(s)) {
                out.add(ChainRecord.parse(line));
            }
        }
        return out;
    }

    private VerificationResult verify() throws Exception {
        return new AuditVerifier(key.publicKey()).verify(new SegmentFiles(dir));
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
