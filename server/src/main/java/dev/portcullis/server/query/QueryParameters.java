package dev.portcullis.server.query;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of one Query-protocol request, decoded from the form body (or the query string of a
 * GET). Lists and structures arrive flattened ({@code UserNames.member.1}, {@code Tags.member.2.Key});
 * {@link #list} and {@link #structures} fold them back.
 */
public final class QueryParameters {

    /** Most parameters one request may carry; bounds parsing work on hostile input. */
    public static final int MAX_PARAMETERS = 1_000;

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /** Builds from already-decoded pairs (tests, and callers that decoded elsewhere). */
    public static QueryParameters of(Map<String, String> values) {
        return new QueryParameters(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /**
     * Decodes {@code application/x-www-form-urlencoded} text. A repeated parameter, bad percent-encoding
     * or bytes that are not UTF-8 are the client's mistake and answered as such.
     */
    public static QueryParameters parse(byte[] form) {
        Map<String, String> values = new LinkedHashMap<>();
        if (form.length == 0) {
            return new QueryParameters(Map.of());
        }
        int start = 0;
        for (int i = 0; i <= form.length; i++) {
            if (i == form.length || form[i] == '&') {
                if (i > start) {
                    addPair(values, form, start, i);
                }
                start = i + 1;
            }
        }
        return new QueryParameters(Collections.unmodifiableMap(values));
    }

    private static void addPair(Map<String, String> values, byte[] form, int from, int to) {
        int eq = from;
        while (eq < to && form[eq] != '=') {
            eq++;
        }
        String name = decode(form, from, eq);
        String value = eq < to ? decode(form, eq + 1, to) : "";
        if (name.isEmpty()) {
            return;
        }
        if (values.size() >= MAX_PARAMETERS) {
            throw new QueryException("ValidationError", "Too many parameters: at most " + MAX_PARAMETERS + " are accepted", 400);
        }
        if (values.putIfAbsent(name, value) != null) {
            throw new QueryException("InvalidParameterCombination",
                    "The parameter " + printable(name) + " appears more than once", 400);
        }
    }

    private static String decode(byte[] form, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = form[i];
            if (b == '+') {
                out[n++] = ' ';
            } else if (b == '%') {
                if (i + 2 >= to || hex(form[i + 1]) < 0 || hex(form[i + 2]) < 0) {
                    throw malformed();
                }
                out[n++] = (byte) (hex(form[i + 1]) << 4 | hex(form[i + 2]));
                i += 2;
            } else {
                out[n++] = b;
            }
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw malformed();
        }
    }

    private static QueryException malformed() {
        return new QueryException("MalformedQueryString", "The request body is not valid UTF-8 form data", 400);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value, or a {@code ValidationError} naming the missing member as AWS does. */
    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw QueryException.missing(name);
        }
        return value;
    }

    public Optional<Integer> integer(String name, int min, int max) {
        String raw = values.get(name);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw QueryException.invalid(name, raw, "Member must have value between " + min + " and " + max);
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw QueryException.invalid(name, raw, "Member must be a number");
        }
    }

    public Optional<Boolean> bool(String name) {
        String raw = values.get(name);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.equalsIgnoreCase("true")) {
            return Optional.of(true);
        }
        if (raw.equalsIgnoreCase("false")) {
            return Optional.of(false);
        }
        throw QueryException.invalid(name, raw, "Member must be true or false");
    }

    /** {@code Name.member.1 … Name.member.N}, in order; stops at the first gap as the SDKs never leave one. */
    public List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            String value = values.get(name + ".member." + i);
            if (value == null) {
                return out;
            }
            out.add(value);
        }
    }

    /**
     * {@code Name.member.N.Field} groups, e.g. {@code Tags.member.1.Key}/{@code Tags.member.1.Value};
     * each map holds the fields one member set.
     */
    public List<Map<String, String>> structures(String name) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            String prefix = name + ".member." + i + ".";
            Map<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    fields.put(e.getKey().substring(prefix.length()), e.getValue());
                }
            }
            if (fields.isEmpty()) {
                return out;
            }
            out.add(fields);
        }
    }

    /** Every parameter, for the audit's {@code requestParameters} (which redacts secrets itself). */
    public Map<String, String> asMap() {
        return values;
    }
}
