package dev.portcullis.server.iam;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator reads from a policy's text rather than from the engine: the condition keys
 * and policy variables it uses (GetContextKeysFor*Policy), and where each statement starts and ends
 * ({@code MatchedStatements} positions, 1-based line and column as AWS reports them).
 */
final class PolicyText {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    /** A statement's span: {@code [line, column]} of its opening and just past its closing brace. */
    record Span(int startLine, int startColumn, int endLine, int endColumn) {
    }

    private PolicyText() {
    }

    /**
     * The context keys the document reads, as written, first occurrence wins (case-insensitively);
     * empty when the document is not JSON (the engine reports that).
     */
    static Map<String, String> contextKeys(String document) {
        Map<String, String> keys = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (IOException e) {
            return keys;
        }
        if (root == null || !root.isObject()) {
            return keys;
        }
        JsonNode statements = root.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements.isObject()) {
            list.add(statements);
        }
        for (JsonNode s : list) {
            variables(s.path("Resource"), keys);
            variables(s.path("NotResource"), keys);
            JsonNode condition = s.path("Condition");
            for (Iterator<JsonNode> ops = condition.elements(); ops.hasNext(); ) {
                JsonNode block = ops.next();
                for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    keys.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getKey());
                    variables(e.getValue(), keys);
                }
            }
        }
        return keys;
    }

    private static void variables(JsonNode node, Map<String, String> keys) {
        if (node.isTextual()) {
            Matcher m = VARIABLE.matcher(node.asText());
            while (m.find()) {
                String name = m.group(1).split(",")[0].trim();
                if (!name.equals("*") && !name.equals("?") && !name.equals("$")) {
                    keys.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> variables(n, keys));
        }
    }

    /** The spans of the document's statements in order; empty when it cannot be read. */
    static List<Span> statementSpans(String document) {
        List<Span> spans = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(document)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return spans;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"Statement".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (value == JsonToken.START_OBJECT) {
                    spans.add(span(p));
                } else if (value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        spans.add(span(p));
                    }
                }
                return spans;
            }
        } catch (IOException e) {
            return List.of();
        }
        return spans;
    }

    private static Span span(JsonParser p) throws IOException {
        JsonLocation start = p.currentTokenLocation();
        p.skipChildren();
        JsonLocation end = p.currentTokenLocation();
        return new Span(start.getLineNr(), start.getColumnNr(), end.getLineNr(), end.getColumnNr() + 1);
    }
}
