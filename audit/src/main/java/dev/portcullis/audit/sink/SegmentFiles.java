package dev.portcullis.audit.sink;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.MalformedRecordException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.OptionalLong;

/**
 * Reads the segment files of a directory (the {@link AuditLog} of {@link SegmentFileSink}). Event
 * scans with a time range skip closed segments whose {@link SegmentRange} sidecar puts all their
 * events outside it; a segment whose range is unknown is read.
 */
public final class SegmentFiles implements AuditLog {

    private static final String DIGEST_MARK = "\"kind\":\"digest\"";

    private final Path dir;
    private final AtomicLong segmentsRead = new AtomicLong();

    public SegmentFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<String> nodes() throws AuditSinkException {
        try {
            return Segments.nodes(dir);
        } catch (IOException e) {
            throw new AuditSinkException("cannot list audit segments in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void scan(String nodeId, long afterSeq, LineVisitor visitor) throws AuditSinkException {
        try {
            List<Path> segments = Segments.of(dir, nodeId);
            int start = 0;
            for (int i = 0; i < segments.size(); i++) {
                if (Segments.firstSeq(segments.get(i)) <= afterSeq + 1) {
                    start = i;
                }
            }
            for (int i = start; i < segments.size(); i++) {
                if (!scanFile(segments.get(i), visitor)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new AuditSinkException("cannot read audit segments in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void scanEvents(String nodeId, Instant from, Instant to, LineVisitor visitor) throws AuditSinkException {
        if (from == null && to == null) {
            scan(nodeId, 0, visitor);
            return;
        }
        try {
            for (Path segment : Segments.of(dir, nodeId)) {
                Optional<SegmentRange> range = SegmentRange.read(segment);
                if (range.isPresent() && range.get().outside(from, to)) {
                    continue;
                }
                if (!scanFile(segment, visitor)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new AuditSinkException("cannot read audit segments in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the newest segment: the chain's last record is its last complete line. */
    @Override
    public long lastSeq(String nodeId) throws AuditSinkException {
        try {
            List<Path> segments = Segments.of(dir, nodeId);
            for (int i = segments.size() - 1; i >= 0; i--) {
                long[] last = {0};
                scanFile(segments.get(i), line -> {
                    try {
                        last[0] = Math.max(last[0], ChainRecord.parse(line.text()).seq());
                    } catch (MalformedRecordException e) {
                        // an incomplete last line (a write in progress): the line before it counts
                    }
                    return true;
                });
                if (last[0] > 0) {
                    return last[0];
                }
            }
            return 0;
        } catch (IOException e) {
            throw new AuditSinkException("cannot read audit segments in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** How many segment files this reader has opened (tests use it to prove that skipped segments were not). */
    public long segmentsRead() {
        return segmentsRead.get();
    }

    @Override
    public OptionalLong lastDigestAtOrBefore(String nodeId, Instant time) throws AuditSinkException {
        long[] found = {-1};
        scan(nodeId, 0, line -> {
            if (line.text().contains(DIGEST_MARK)) {
                try {
                    ChainRecord r = ChainRecord.parse(line.text());
                    if (r.time().isAfter(time)) {
                        return false;
                    }
                    found[0] = r.seq();
                } catch (MalformedRecordException e) {
                    return true; // the verifier reports it
                }
            }
            return true;
        });
        return found[0] < 0 ? OptionalLong.empty() : OptionalLong.of(found[0]);
    }

    private boolean scanFile(Path segment, LineVisitor visitor) throws IOException {
        segmentsRead.incrementAndGet();
        String name = segment.getFileName().toString();
        // A decoding reader that replaces malformed bytes (a torn write) instead of throwing: the verifier names the line.
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(segment), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                if (!visitor.visit(new StoredLine(name + ":" + n, line))) {
                    return false;
                }
            }
        }
        return true;
    }
}
