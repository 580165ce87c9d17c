package dev.portcullis.audit.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units, recursively), no insignificant
 * whitespace, numbers as parsed (integers only appear in records; decimals are read as
 * {@code BigDecimal}, trailing zeros kept, so they survive a round trip). The bytes hashed and signed are exactly the
 * bytes of this form, so a record read back from a sink re-serialises to the same bytes.
 */
public final class CanonicalJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // Keep decimals exactly as written (1.50 stays 1.50): the verifier re-serialises parsed records and
            // must get the bytes that were hashed.
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private CanonicalJson() {}

    public static byte[] bytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String string(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /**
     * Parses one JSON text, rejecting duplicate keys (which would let two readers disagree).
     *
     * @throws IOException when it is not exactly one JSON value
     */
    public static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    static void write(JsonGenerator g, JsonNode n) throws IOException {
        if (n.isObject()) {
            List<String> names = new ArrayList<>(n.size());
            n.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                write(g, n.get(name));
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode element : n) {
                write(g, element);
            }
            g.writeEndArray();
        } else if (n.isTextual()) {
            g.writeString(n.textValue());
        } else if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                g.writeNumber(n.longValue());
            } else {
                g.writeNumber(n.bigIntegerValue());
            }
        } else if (n.isNumber()) {
            g.writeNumber(n.decimalValue());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.booleanValue());
        } else if (n.isNull() || n.isMissingNode()) {
            g.writeNull();
        } else {
            MAPPER.writeTree(g, n); // binary and POJO nodes: never in records, kept for completeness
        }
    }
}
