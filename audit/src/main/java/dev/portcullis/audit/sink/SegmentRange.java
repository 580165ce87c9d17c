package dev.portcullis.audit.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The event-time range of a closed segment, kept beside it in {@code <segment>.range}
 * ({@code {"bytes":…,"events":…,"minEventTime":…,"maxEventTime":…}}), so that queries skip
 * segments outside their time range without opening them. Written by the sink when it closes a
 * segment (rotation or shutdown) and deleted when it reopens one for appending. A reader trusts
 * it only while the segment still has exactly {@code bytes} bytes; otherwise (a crash before the
 * close, an append since) the range is unknown and the segment is read. The sidecar only speeds
 * queries up: {@code audit verify} never reads it.
 */
record SegmentRange(long bytes, long events, Instant minEventTime, Instant maxEventTime) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SUFFIX = ".range";

    static Path fileOf(Path segment) {
        return segment.resolveSibling(segment.getFileName() + SUFFIX);
    }

    /** Whether no event of the segment can have an event time in {@code [from, to)} (open ends when null). */
    boolean outside(Instant from, Instant to) {
        if (events == 0) {
            return true;
        }
        return (from != null && maxEventTime.isBefore(from)) || (to != null && !minEventTime.isBefore(to));
    }

    /** The segment's range when its sidecar exists, parses and matches the segment's size. */
    static Optional<SegmentRange> read(Path segment) {
        Path file = fileOf(segment);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            JsonNode n = JSON.readTree(Files.readString(file));
            long bytes = n.path("bytes").asLong(-1);
            long events = n.path("events").asLong(-1);
            if (bytes < 0 || events < 0 || bytes != Files.size(segment)) {
                return Optional.empty();
            }
            if (events == 0) {
                return Optional.of(new SegmentRange(bytes, 0, null, null));
            }
            return Optional.of(new SegmentRange(bytes, events, Instant.parse(n.path("minEventTime").asText()),
                    Instant.parse(n.path("maxEventTime").asText())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unknown: the segment is read
        }
    }

    /** Writes the sidecar atomically (temporary file, then rename). */
    void write(Path segment) throws IOException {
        ObjectNode n = JSON.createObjectNode().put("bytes", bytes).put("events", events);
        if (events > 0) {
            n.put("minEventTime", minEventTime.toString()).put("maxEventTime", maxEventTime.toString());
        }
        Path file = fileOf(segment);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, n.toString());
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void delete(Path segment) throws IOException {
        Files.deleteIfExists(fileOf(segment));
    }

    /** Tracks the event times of the segment being written. Not thread-safe (the writer thread's). */
    static final class Tracker {
        private long events;
        private Instant min;
        private Instant max;

        void reset() {
            events = 0;
            min = null;
            max = null;
        }

        /** Notes a stored line; lines that are not events (or whose event time cannot be found) are ignored. */
        void note(String line) {
            Instant t = eventTime(line);
            if (t != null) {
                note(t);
            }
        }

        /** Notes a stored event record whose event time is {@code t}. */
        void note(Instant t) {
            events++;
            if (min == null || t.isBefore(min)) {
                min = t;
            }
            if (max == null || t.isAfter(max)) {
                max = t;
            }
        }

        SegmentRange range(long bytes) {
            return new SegmentRange(bytes, events, min, max);
        }
    }

    private static final String EVENT_PREFIX = "{\"event\":{";
    private static final String KEY = "\"eventTime\"";

    /**
     * The {@code eventTime} of an event record's line, without parsing the whole record: records
     * are canonical JSON (keys sorted), so the line starts with {@code {"event":{} and the event's
     * own {@code eventTime} is the one at depth 1 of that object. Null when the line is not an
     * event record or has none.
     */
    static Instant eventTime(String line) {
        if (!line.startsWith(EVENT_PREFIX)) {
            return null;
        }
        int depth = 1;
        boolean inString = false;
        for (int i = EVENT_PREFIX.length(); i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (depth == 1 && line.startsWith(KEY, i) && line.startsWith(":\"", i + KEY.length())) {
                        int start = i + KEY.length() + 2;
                        int end = line.indexOf('"', start);
                        if (end < 0) {
                            return null;
                        }
                        try {
                            return Instant.parse(line.substring(start, end));
                        } catch (DateTimeParseException e) {
                            return null;
                        }
                    }
                    inString = true;
                }
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    depth--;
                    if (depth == 0) {
                        return null;
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }
}
