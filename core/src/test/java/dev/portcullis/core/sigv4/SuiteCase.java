package dev.portcullis.core.sigv4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One worked example, read from {@code core/src/test/resources/sigv4/...}: key: value lines, then
 * sections {@code --- req}, {@code --- creq}, {@code --- sts}, optionally {@code --- authz}.
 */
record SuiteCase(String name, Map<String, String> meta, String req, String creq, String sts, String authz) {

    String get(String key, String fallback) {
        return meta.getOrDefault(key, fallback);
    }

    String accessKey() {
        return get("access-key", "AKIDEXAMPLE");
    }

    String secret() {
        return get("secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    String region() {
        return get("region", "us-east-1");
    }

    String service() {
        return get("service", "service");
    }

    boolean signerReproduces() {
        return "yes".equals(get("signer-reproduces", "no"));
    }

    /** The request time: the second line of the string to sign. */
    String amzDate() {
        return sts.split("\n")[1];
    }

    static Stream<SuiteCase> load(String dir) {
        try {
            Path root = Paths.get(SuiteCase.class.getClassLoader().getResource(dir).toURI());
            try (Stream<Path> files = Files.list(root)) {
                List<Path> sorted = files.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
                return sorted.stream().map(SuiteCase::read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SuiteCase read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            Map<String, String> meta = new HashMap<>();
            Map<String, StringBuilder> sections = new HashMap<>();
            StringBuilder current = null;
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("--- ")) {
                    current = new StringBuilder();
                    sections.put(line.substring(4).trim(), current);
                } else if (current != null) {
                    current.append(line).append('\n');
                } else if (!line.startsWith("#") && line.contains(":")) {
                    int c = line.indexOf(':');
                    meta.put(line.substring(0, c).trim(), line.substring(c + 1).trim());
                }
            }
            String name = file.getFileName().toString().replace(".txt", "");
            return new SuiteCase(name, meta, section(sections, "req"), section(sections, "creq"),
                    section(sections, "sts"), sections.containsKey("authz") ? section(sections, "authz") : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String section(Map<String, StringBuilder> sections, String name) {
        StringBuilder sb = sections.get(name);
        if (sb == null) {
            throw new IllegalStateException("missing section " + name);
        }
        // Each section ends with the newline before the next marker (or the file's final newline).
        return sb.substring(0, sb.length() - 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
