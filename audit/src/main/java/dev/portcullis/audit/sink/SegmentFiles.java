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
import java.util.OptionalLong;

/** Reads the segment files of a directory (the {@link AuditLog} of {@link SegmentFileSink}). */
public final class SegmentFiles implements AuditLog {

    private static final String DIGEST_MARK = "\"kind\":\"digest\"";

    private final Path dir;

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

    private static boolean scanFile(Path segment, LineVisitor visitor) throws IOException {
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
