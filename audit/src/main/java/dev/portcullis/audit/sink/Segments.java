package dev.portcullis.audit.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Segment file naming: {@code <nodeId>-<first sequence number, 20 digits>.jsonl}, so the names of
 * a node's segments sort in chain order.
 */
final class Segments {

    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern NAME = Pattern.compile("(.+)-(\\d{20})\\.jsonl");

    private Segments() {}

    static String name(String nodeId, long firstSeq) {
        return nodeId + "-" + String.format("%020d", firstSeq) + ".jsonl";
    }

    static void requireValidNodeId(String nodeId) {
        if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    /** The node's segments, oldest first. */
    static List<Path> of(Path dir, String nodeId) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                return m.matches() && m.group(1).equals(nodeId);
            }).sorted().forEach(out::add);
        }
        return out;
    }

    static List<String> nodes(Path dir) throws IOException {
        TreeSet<String> nodes = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(p -> {
                    Matcher m = NAME.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        nodes.add(m.group(1));
                    }
                });
            }
        }
        return List.copyOf(nodes);
    }

    static long firstSeq(Path segment) {
        Matcher m = NAME.matcher(segment.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a segment: " + segment.getFileName());
        }
        return Long.parseLong(m.group(2));
    }
}
