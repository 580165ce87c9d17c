package dev.portcullis.audit.sink;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
import dev.portcullis.audit.chain.Digest;
import dev.portcullis.audit.chain.MalformedRecordException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Embedded-mode sink: append-only JSON-lines segment files in a directory, one line per record.
 * A segment is closed and a new one started at the first digest after it has reached
 * {@code maxBytes} or {@code maxAge}, so every segment but the newest ends with a digest and
 * every segment starts right after one. Writes go to the OS per batch and are forced to disk
 * ({@code fsync}) at each digest. A closed segment gets a {@link SegmentRange} sidecar with the
 * event-time range of its events, so queries can skip it. Owned by the recorder's writer thread.
 */
public final class SegmentFileSink implements AuditSink {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SegmentFileSink.class);

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private String nodeId;
    private FileChannel channel;
    private Path segment;
    private Instant segmentOpened;
    private final SegmentRange.Tracker range = new SegmentRange.Tracker();
    private static final int INITIAL_BUFFER_BYTES = 256 * 1024;
    private static final int MAX_KEPT_BUFFER_BYTES = 4 * 1024 * 1024;
    private ByteBuffer buffer;

    public SegmentFileSink(Path dir, long maxBytes, Duration maxAge) {
        this(dir, maxBytes, maxAge, Clock.systemUTC());
    }

    SegmentFileSink(Path dir, long maxBytes, Duration maxAge, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (maxBytes <= 0 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("segment maxBytes and maxAge must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Where a data directory keeps its segments: {@code <dataDir>/audit/segments}. */
    public static Path directoryIn(Path dataDir) {
        return dataDir.resolve("audit").resolve("segments");
    }

    /** A reader over the same directory. */
    public AuditLog log() {
        return new SegmentFiles(dir);
    }

    @Override
    public String describe() {
        return "audit segments in " + dir;
    }

    @Override
    public ChainTail open(String nodeId) throws AuditSinkException {
        Segments.requireValidNodeId(nodeId);
        this.nodeId = nodeId;
        try {
            Files.createDirectories(dir);
            List<Path> segments = Segments.of(dir, nodeId);
            if (segments.isEmpty()) {
                return ChainTail.empty();
            }
            Path newest = segments.get(segments.size() - 1);
            SegmentRange.delete(newest); // appended to again: its range is no longer final
            long discarded = cutIncompleteLastLine(newest);
            range.reset();
            try (var lines = Files.lines(newest, StandardCharsets.UTF_8)) {
                lines.forEach(range::note);
            }
            channel = FileChannel.open(newest, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            segment = newest;
            segmentOpened = clock.instant();
            return tail(segments, discarded);
        } catch (IOException e) {
            throw new AuditSinkException("cannot open " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void append(List<ChainRecord> records, boolean durable) throws AuditSinkException {
        if (records.isEmpty()) {
            return;
        }
        long start = -1;
        try {
            if (channel == null) {
                Path fresh = dir.resolve(Segments.name(nodeId, records.get(0).seq()));
                SegmentRange.delete(fresh);
                channel = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                segment = fresh;
                segmentOpened = clock.instant();
                range.reset();
            }
            start = channel.size();
            ByteBuffer bytes = encode(records);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (durable) {
                channel.force(true);
            }
        } catch (IOException e) {
            rollBack(start);
            throw new AuditSinkException("cannot write " + describe() + ": " + e.getMessage(), e);
        }
        for (ChainRecord r : records) {
            if (r.kind() == ChainRecord.Kind.event) {
                // The event time is known for records chained by this process; the line is read otherwise.
                Optional<Instant> t = r.knownEventTime();
                if (t.isPresent()) {
                    range.note(t.get());
                } else {
                    range.note(r.line());
                }
            }
        }
        if (records.get(records.size() - 1).kind() == ChainRecord.Kind.digest) {
            rotateIfDue();
        }
    }

    @Override
    public void close() throws AuditSinkException {
        if (channel != null) {
            try {
                channel.force(true);
                long bytes = channel.size();
                channel.close();
                writeRange(bytes);
            } catch (IOException e) {
                throw new AuditSinkException("cannot close " + describe() + ": " + e.getMessage(), e);
            } finally {
                channel = null;
            }
        }
    }

    /** Best effort: without the sidecar, queries read the segment instead of skipping it. */
    private void writeRange(long bytes) {
        try {
            range.range(bytes).write(segment);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the time range of audit segment {} (queries will read it): {}", segment, e.toString());
        }
    }

    private void rotateIfDue() throws AuditSinkException {
        try {
            boolean full = channel.size() >= maxBytes;
            boolean old = !clock.instant().isBefore(segmentOpened.plus(maxAge));
            if (full || old) {
                close();
            }
        } catch (IOException e) {
            throw new AuditSinkException("cannot rotate " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** Undoes a partly written batch so that the retry does not duplicate records. */
    private void rollBack(long start) {
        if (channel != null && start >= 0) {
            try {
                channel.truncate(start);
            } catch (IOException ignored) {
                // the channel is unusable; drop it so the retry reopens and open-time repair applies
                try {
                    channel.close();
                } catch (IOException alsoIgnored) {
                    // nothing more to do: the retry reports the failure
                }
                channel = null;
            }
        }
    }

    /**
     * The records' lines, each followed by a line break, in this sink's reused direct buffer (flipped for
     * writing): one copy of each record's UTF-8 line, and none in the channel (a heap buffer would be
     * copied to a temporary direct one).
     */
    private ByteBuffer encode(List<ChainRecord> records) {
        long total = 0;
        for (ChainRecord r : records) {
            total += r.lineLength() + 1L;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an audit batch of " + total + " bytes");
        }
        ByteBuffer buf = buffer;
        if (buf == null || buf.capacity() < total) {
            buf = ByteBuffer.allocateDirect((int) Math.max(total, INITIAL_BUFFER_BYTES));
        }
        buf.clear();
        for (ChainRecord r : records) {
            r.writeLine(buf);
            buf.put((byte) '\n');
        }
        buf.flip();
        // Kept for the next batch unless unusually large (a batch of huge events): then freed with this batch.
        buffer = buf.capacity() <= MAX_KEPT_BUFFER_BYTES ? buf : null;
        return buf;
    }

    /** A crash can leave the last line incomplete; it was never acknowledged, so cut it off and report how much. */
    private static long cutIncompleteLastLine(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                ch.truncate(keep);
                ch.force(true);
            }
            return size - keep;
        }
    }

    private ChainTail tail(List<Path> segments, long discarded) throws IOException, AuditSinkException {
        ChainRecord last = null;
        Digest lastDigest = null;
        Instant firstUndigestedTime = null;
        for (int i = segments.size() - 1; i >= 0 && lastDigest == null; i--) {
            List<String> lines = Files.readAllLines(segments.get(i), StandardCharsets.UTF_8);
            for (int j = lines.size() - 1; j >= 0; j--) {
                ChainRecord r = parse(lines.get(j), segments.get(i), j + 1);
                if (last == null) {
                    last = r;
                }
                if (r.kind() == ChainRecord.Kind.digest) {
                    lastDigest = digest(r);
                    break;
                }
                firstUndigestedTime = r.time();
            }
        }
        return new ChainTail(Optional.ofNullable(last), Optional.ofNullable(lastDigest),
                Optional.ofNullable(firstUndigestedTime), discarded);
    }

    private static ChainRecord parse(String line, Path segment, int lineNo) throws AuditSinkException {
        try {
            return ChainRecord.parse(line);
        } catch (MalformedRecordException e) {
            throw new AuditSinkException("cannot continue the chain: " + segment.getFileName() + ":" + lineNo
                    + " " + e.getMessage() + " (run portcullis audit verify)");
        }
    }

    private static Digest digest(ChainRecord r) throws AuditSinkException {
        try {
            return Digest.of(r);
        } catch (MalformedRecordException e) {
            throw new AuditSinkException("cannot continue the chain: " + e.getMessage());
        }
    }
}
