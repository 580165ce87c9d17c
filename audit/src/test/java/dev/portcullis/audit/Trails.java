package dev.portcullis.audit;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.recorder.AuditConfig;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.audit.sink.AuditSink;
import dev.portcullis.audit.sink.SegmentFileSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Writes small audit trails for tests. */
public final class Trails {

    private Trails() {}

    /** A config with a digest every {@code every} records and none by time during a test. */
    public static AuditConfig config(String node, int every) {
        return AuditConfig.defaults(node).withDigestEvery(every, Duration.ofHours(1))
                .withRetry(Duration.ofMillis(20), Duration.ofSeconds(5));
    }

    public static SegmentFileSink segments(Path dir) {
        return new SegmentFileSink(dir, 64L << 20, Duration.ofHours(1));
    }

    /** Records events {@code from..from+count-1} through a fresh recorder, then closes it (final digest). */
    public static void write(AuditSink sink, AuditSigningKey key, AuditConfig config, int from, int count) throws Exception {
        try (AuditRecorder recorder = AuditRecorder.start(config, sink, key)) {
            for (int i = from; i < from + count; i++) {
                recorder.record(Events.invoke(i), OverflowPolicy.FAIL_CLOSED);
            }
        }
    }

    public static Path onlySegment(Path dir) throws IOException {
        List<Path> all = segmentFiles(dir);
        if (all.size() != 1) {
            throw new IllegalStateException("expected one segment, found " + all);
        }
        return all.get(0);
    }

    public static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
