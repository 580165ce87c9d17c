package dev.portcullis.audit.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes secrets from request parameters, response elements and free text before they become
 * part of an audit event. Two nets, both always applied:
 * <ul>
 *   <li>by key name: a field whose normalised name (lower case, letters and digits only) ends in
 *       {@code secretaccesskey}, {@code secretkey}, {@code secret}, {@code sessiontoken},
 *       {@code securitytoken}, {@code signature}, {@code authorization}, {@code password},
 *       {@code privatekey} or {@code credential(s)secret} has its whole value replaced, whatever its type;</li>
 *   <li>by value shape: any string that looks like an AWS secret access key (40 characters of
 *       base64 mixing upper case, lower case and digits), a long opaque token (100+ base64
 *       characters, as session tokens are), a PEM private key or a SigV4 {@code Authorization}
 *       header is replaced; presigned-URL signatures and security tokens inside longer text are
 *       replaced in place.</li>
 * </ul>
 * The replacement is CloudTrail's own marker, {@value #HIDDEN}. Stateless and thread-safe.
 */
public final class Redactor {

    /** What a removed secret is replaced with (CloudTrail's wording). */
    public static final String HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private static final List<String> SECRET_NAME_SUFFIXES = List.of(
            "secretaccesskey", "secretkey", "secret", "sessiontoken", "securitytoken", "signature",
            "authorization", "password", "privatekey", "passphrase");

    private static final Pattern SECRET_KEY_SHAPE = Pattern.compile("[A-Za-z0-9/+]{40}");
    /** What {@link #isSecretShaped} and {@link #replaceLongTokens} find by hand (tests compare them with these). */
    static final Pattern LONG_TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9/+=_\\-.]{100,}");
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)", Pattern.DOTALL);
    private static final Pattern SIGV4_HEADER = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=[^\\s,]*,\\s*SignedHeaders=[^\\s,]*,\\s*Signature=[0-9a-fA-F]*");
    static final Pattern SIGNATURE_PARAM = Pattern.compile(
            "(?i)(x-amz-signature|x-amz-security-token|signature|sessiontoken|secretaccesskey|password)([=:]\\s*\"?)([^&\\s\",;]+)");
    static final Pattern EMBEDDED_LONG_TOKEN = Pattern.compile("[A-Za-z0-9/+=_\\-.%]{100,}");
    private static final int LONG_TOKEN = 100;

    private Redactor() {}

    /** A redacted deep copy of {@code node}; null stays null. */
    public static JsonNode redact(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return redactNode(node);
    }

    /** Field names already classified (events repeat the same few names); bounded, cleared when full. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> SECRET_NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_NAMES = 4_096;

    /** Whether a field of this name holds a secret, whatever its value. */
    public static boolean isSecretName(String fieldName) {
        Boolean known = SECRET_NAMES.get(fieldName);
        if (known != null) {
            return known;
        }
        boolean secret = classifyName(fieldName);
        if (SECRET_NAMES.size() >= MAX_REMEMBERED_NAMES) {
            SECRET_NAMES.clear();
        }
        SECRET_NAMES.put(fieldName, secret);
        return secret;
    }

    private static boolean classifyName(String fieldName) {
        String n = normalise(fieldName);
        for (String suffix : SECRET_NAME_SUFFIXES) {
            if (n.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Free text (an error message, a user agent) with any secret-shaped part replaced. */
    public static String redactText(String text) {
        if (text == null || text.length() < 40 && text.indexOf('=') < 0 && text.indexOf(':') < 0) {
            return text; // too short for any secret shape and no key=value or header form: the common case
        }
        return mayHoldSecret(text) ? redactTextFully(text) : text;
    }

    /** {@link #redactText} without its pre-checks: every step, each a no-op when it finds nothing. */
    static String redactTextFully(String text) {
        if (isSecretShaped(text)) {
            return HIDDEN;
        }
        String out = text;
        if (out.contains("-----BEGIN")) {
            out = PEM_PRIVATE_KEY.matcher(out).replaceAll(HIDDEN);
        }
        if (out.contains("AWS4-HMAC-SHA256")) {
            out = SIGV4_HEADER.matcher(out).replaceAll(HIDDEN);
        }
        if ((out.indexOf('=') >= 0 || out.indexOf(':') >= 0) && namesASecret(out)) {
            out = SIGNATURE_PARAM.matcher(out).replaceAll("$1$2" + HIDDEN);
        }
        if (out.length() >= LONG_TOKEN) {
            out = replaceLongTokens(out);
        }
        return out.length() >= 40 ? replaceEmbeddedSecrets(out) : out;
    }

    private static JsonNode redactNode(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isObject()) {
            ObjectNode copy = f.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                copy.set(e.getKey(), isSecretName(e.getKey()) ? TextNode.valueOf(HIDDEN) : redactNode(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = f.arrayNode(node.size());
            for (JsonNode element : node) {
                copy.add(redactNode(element));
            }
            return copy;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            String redacted = redactText(text);
            return redacted.equals(text) ? node : TextNode.valueOf(redacted);
        }
        if (node.isBinary()) {
            return TextNode.valueOf(HIDDEN);
        }
        return node.deepCopy();
    }

    static boolean isSecretShaped(String s) {
        // The length checks only skip patterns that cannot match ({40} and {100,}).
        if (s.length() == 40 && SECRET_KEY_SHAPE.matcher(s).matches()) {
            return mixesCases(s);
        }
        if (s.length() < LONG_TOKEN) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i)) || s.charAt(i) == '%') {
                return false;
            }
        }
        return true; // LONG_TOKEN_SHAPE matches the whole text
    }

    /**
     * Replaces every maximal run of 100 or more token characters ({@code [A-Za-z0-9/+=_\-.%]}), which is what
     * {@code EMBEDDED_LONG_TOKEN.matcher(text).replaceAll(HIDDEN)} does (greedy, left to right: a run shorter
     * than 100 fails from every position in it). By hand: the pattern took several µs on an SDK's user agent,
     * which every request carries.
     */
    static String replaceLongTokens(String text) {
        StringBuilder sb = null;
        int n = text.length();
        int copied = 0;
        int i = 0;
        while (i < n) {
            if (!isTokenChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isTokenChar(text.charAt(i))) {
                i++;
            }
            if (i - start >= LONG_TOKEN) {
                if (sb == null) {
                    sb = new StringBuilder(n);
                }
                sb.append(text, copied, start).append(HIDDEN);
                copied = i;
            }
        }
        return sb == null ? text : sb.append(text, copied, n).toString();
    }

    /** {@code [A-Za-z0-9/+=_\-.%]}. */
    private static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '+'
                || c == '=' || c == '_' || c == '-' || c == '.' || c == '%';
    }

    /**
     * Replaces every maximal run of exactly 40 base64 characters not followed by {@code =} that mixes
     * cases and digits (what {@code (?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])} finds),
     * scanning by hand: this runs on the request thread for every longer string.
     */
    private static String replaceEmbeddedSecrets(String text) {
        List<int[]> spans = null;
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isBase64(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isBase64(text.charAt(i))) {
                i++;
            }
            if (i - start == 40 && (i == n || text.charAt(i) != '=') && mixesCases(text.substring(start, i))) {
                if (spans == null) {
                    spans = new ArrayList<>();
                }
                spans.add(new int[] {start, i});
            }
        }
        if (spans == null) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text);
        for (int k = spans.size() - 1; k >= 0; k--) {
            sb.replace(spans.get(k)[0], spans.get(k)[1], HIDDEN);
        }
        return sb.toString();
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '+';
    }

    /**
     * Whether text may hold a {@code name=value} secret: a cheap test before {@link #SIGNATURE_PARAM}. Every
     * name that pattern matches contains {@code signature}, {@code token}, {@code secret} or {@code password};
     * its {@code (?i)} is ASCII-only case-insensitive (no {@code UNICODE_CASE}), so one pass that looks for the
     * four words in either ASCII case misses nothing it would find. Tests pin that against the pattern.
     */
    static boolean namesASecret(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            // c | 0x20 is the lower case of an ASCII letter; it equals 's', 't' or 'p' only for that letter.
            switch (text.charAt(i) | 0x20) {
                case 's' -> {
                    if (asciiWordAt(text, i, "signature") || asciiWordAt(text, i, "secret")) {
                        return true;
                    }
                }
                case 't' -> {
                    if (asciiWordAt(text, i, "token")) {
                        return true;
                    }
                }
                case 'p' -> {
                    if (asciiWordAt(text, i, "password")) {
                        return true;
                    }
                }
                default -> { }
            }
        }
        return false;
    }

    /** Whether the lower-case ASCII letters of {@code word} stand at {@code at}, in either case. */
    private static boolean asciiWordAt(String text, int at, String word) {
        int n = word.length();
        if (at + n > text.length()) {
            return false;
        }
        for (int j = 1; j < n; j++) {
            if ((text.charAt(at + j) | 0x20) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether any step of {@link #redactTextFully} could change {@code text}, in one pass instead of one per
     * step. The steps act only on a PEM or SigV4 marker, on a secret's name next to {@code =} or {@code :}
     * ({@link #namesASecret}), on a run of 100 or more token characters, or on a maximal run of exactly 40
     * base64 characters (the whole text included). When none is present every step leaves the text as it
     * is, so it can be returned unchanged; a test pins that over random texts.
     */
    static boolean mayHoldSecret(String text) {
        if (text.contains("-----BEGIN") || text.contains("AWS4-HMAC-SHA256")) {
            return true;
        }
        int n = text.length();
        int tokenRun = 0;
        int base64Run = 0;
        boolean separator = false;
        boolean word = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!isTokenChar(c)) {
                tokenRun = 0;
            } else if (++tokenRun >= LONG_TOKEN) {
                return true;
            }
            if (isBase64(c)) {
                base64Run++;
            } else {
                if (base64Run == 40) {
                    return true;
                }
                base64Run = 0;
                separator |= c == '=' || c == ':';
            }
            if (!word) {
                switch (c | 0x20) {
                    case 's' -> word = asciiWordAt(text, i, "signature") || asciiWordAt(text, i, "secret");
                    case 't' -> word = asciiWordAt(text, i, "token");
                    case 'p' -> word = asciiWordAt(text, i, "password");
                    default -> { }
                }
            }
        }
        return base64Run == 40 || separator && word;
    }

    /** Random AWS secrets mix upper case, lower case and digits; words and hex digests do not. */
    private static boolean mixesCases(String s) {
        boolean upper = false, lower = false, digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
        }
        return upper && lower && digit;
    }

    private static String normalise(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = Character.toLowerCase(name.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
