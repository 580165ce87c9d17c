package dev.portcullis.audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.Events;
import dev.portcullis.audit.Trails;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.query.AuditPage;
import dev.portcullis.audit.query.AuditQuery;
import dev.portcullis.audit.query.AuditSearch;
import dev.portcullis.audit.query.StoredEvent;
import dev.portcullis.audit.verify.AuditVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed segments carry their event-time range in a sidecar, and queries with a time range do not
 * open the segments outside it; results and pagination are the same as reading everything.
 */
class SegmentTimeRangeTest {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path dir;

    private final AuditSigningKey key = AuditSigningKey.ephemeral();

    /** 40 events (event i at T0 + i s), a digest every 5 records, a new segment after each digest: 8 segments of 5 events. */
    @BeforeEach
    void trail() throws Exception {
        Trails.write(new SegmentFileSink(dir, 1, Duration.ofHours(1)), key, Trails.config("n1", 5), 1, 40);
    }

    @Test
    void eachClosedSegmentHasASidecarWithItsEventTimeRange() throws Exception {
        List<Path> segments = Trails.segmentFiles(dir);
        assertThat(segments).hasSizeGreaterThanOrEqualTo(8);
        SegmentRange first = SegmentRange.read(segments.get(0)).orElseThrow();
        assertThat(first.events()).isEqualTo(5);
        assertThat(first.minEventTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(first.maxEventTime()).isEqualTo(T0.plusSeconds(5));
        for (Path s : segments) {
            assertThat(SegmentRange.read(s)).as(s.getFileName().toString()).isPresent();
        }
    }

    @Test
    void aTimeRangeQueryOpensOnlyTheSegmentsThatOverlapIt() throws Exception {
        SegmentFiles files = new SegmentFiles(dir);
        AuditSearch search = new AuditSearch(files);
        // events 12..18: the segments holding 11-15 and 16-20
        AuditQuery q = new AuditQuery(T0.plusSeconds(12), T0.plusSeconds(19), null, null, null, null, null, null, 100, null);
        assertThat(ids(search.query(q).events())).containsExactly("req-12", "req-13", "req-14", "req-15", "req-16",
                "req-17", "req-18");
        assertThat(files.segmentsRead()).isEqualTo(2);

        long before = files.segmentsRead();
        assertThat(ids(search.latest(3, new AuditQuery(null, T0.plusSeconds(9), null, null, null, null, null, null, 1, null))))
                .containsExactly("req-6", "req-7", "req-8");
        assertThat(files.segmentsRead() - before).isEqualTo(2);

        before = files.segmentsRead();
        assertThat(search.query(new AuditQuery(T0.plusSeconds(1000), null, null, null, null, null, null, null, 10, null))
                .events()).isEmpty();
        assertThat(files.segmentsRead() - before).isZero();
    }

    @Test
    void pagesThroughATimeRangeLikeAFullReadDoes() throws Exception {
        AuditQuery q = new AuditQuery(T0.plusSeconds(7), T0.plusSeconds(33), null, null, null, null, null, null, 4, null);
        List<String> skipping = pageAll(new AuditSearch(new SegmentFiles(dir)), q);
        List<String> full = pageAll(new AuditSearch(new FullRead(new SegmentFiles(dir))), q);
        assertThat(skipping).hasSize(26).doesNotHaveDuplicates().isEqualTo(full).startsWith("req-7").endsWith("req-32");
    }

    @Test
    void aSegmentWithoutItsSidecarOrChangedSinceIsRead() throws Exception {
        List<Path> segments = Trails.segmentFiles(dir);
        Files.delete(SegmentRange.fileOf(segments.get(0)));
        Files.writeString(segments.get(1), Files.readString(segments.get(1)) + "\n");
        SegmentFiles files = new SegmentFiles(dir);
        AuditQuery late = new AuditQuery(T0.plusSeconds(36), null, null, null, null, null, null, null, 100, null);
        assertThat(ids(new AuditSearch(files).query(late).events())).containsExactly("req-36", "req-37", "req-38",
                "req-39", "req-40");
        // segment 1 (no sidecar), segment 2 (size changed) and the last one, which holds 36-40
        assertThat(files.segmentsRead()).isEqualTo(3);
    }

    @Test
    void reopeningTheNewestSegmentDropsItsSidecarUntilItIsClosedAgain() throws Exception {
        Path dir2 = dir.resolve("big");
        Trails.write(Trails.segments(dir2), key, Trails.config("n1", 5), 1, 4);
        Path only = Trails.onlySegment(dir2);
        assertThat(SegmentRange.read(only).orElseThrow().maxEventTime()).isEqualTo(T0.plusSeconds(4));
        SegmentFileSink sink = Trails.segments(dir2);
        sink.open("n1");
        assertThat(Files.exists(SegmentRange.fileOf(only))).isFalse();
        sink.close();
        Trails.write(Trails.segments(dir2), key, Trails.config("n1", 5), 50, 2);
        SegmentRange range = SegmentRange.read(only).orElseThrow();
        assertThat(range.events()).isEqualTo(6);
        assertThat(range.minEventTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(range.maxEventTime()).isEqualTo(T0.plusSeconds(51));
        assertThat(new AuditVerifier(key.publicKey()).verify(new SegmentFiles(dir2)).verified()).isTrue();
    }

    @Test
    void findsTheEventTimeOfACanonicalEventLineOnly() throws Exception {
        String line = Files.readAllLines(Trails.segmentFiles(dir).get(0)).get(0);
        assertThat(SegmentRange.eventTime(line)).isEqualTo(T0.plusSeconds(1));
        assertThat(SegmentRange.eventTime("{\"digest\":{\"eventTime\":\"2026-01-01T00:00:00Z\"}}")).isNull();
        assertThat(SegmentRange.eventTime("{\"event\":{\"a\":{\"eventTime\":\"2020-01-01T00:00:00Z\"},"
                + "\"b\":\"x\\\"eventTime\\\":\",\"eventTime\":\"2026-01-01T00:00:00Z\"}}"))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(SegmentRange.eventTime("{\"event\":{\"eventTime\":\"garbage\"}}")).isNull();
        assertThat(SegmentRange.eventTime("{\"event\":{\"eventTi")).isNull();
        assertThat(SegmentRange.eventTime(line.replace(Events.invoke(1).eventTime().toString(), "x"))).isNull();
    }

    private static List<String> pageAll(AuditSearch search, AuditQuery q) throws Exception {
        List<String> seen = new ArrayList<>();
        while (true) {
            AuditPage page = search.query(q);
            seen.addAll(ids(page.events()));
            if (page.nextPageToken().isEmpty()) {
                return seen;
            }
            q = q.withPageToken(page.nextPageToken().get());
        }
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(e -> e.event().requestId()).toList();
    }

    /** The same log without the time-range shortcut. */
    private record FullRead(AuditLog log) implements AuditLog {
        @Override
        public List<String> nodes() throws AuditSinkException {
            return log.nodes();
        }

        @Override
        public void scan(String nodeId, long afterSeq, LineVisitor visitor) throws AuditSinkException {
            log.scan(nodeId, afterSeq, visitor);
        }

        @Override
        public java.util.OptionalLong lastDigestAtOrBefore(String nodeId, Instant time) throws AuditSinkException {
            return log.lastDigestAtOrBefore(nodeId, time);
        }
    }
}
