package dev.portcullis.core.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonicalization rules of SigV4: URI encoding per service, query sorting, header value folding.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">Create a
 *      signed AWS API request</a> (steps 1: canonical request)
 */
final class Canonical {

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private Canonical() {
    }

    /** One query parameter as received: raw (still encoded) name and value; value "" when there was no '='. */
    record RawParam(String rawName, String rawValue) {
    }

    /** True for RFC 3986 unreserved characters, which SigV4 never encodes. */
    static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** S3 and a few others sign the path as sent (encoded once, not normalized); everything else double-encodes. */
    static boolean isS3(String service) {
        return "s3".equals(service) || "s3-outposts".equals(service) || "s3express".equals(service);
    }

    /** Splits a raw query on '&' and the first '='; skips empty pieces. {@code null} when over {@code limit}. */
    static List<RawParam> splitQuery(String rawQuery, int limit) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        List<RawParam> out = new ArrayList<>();
        int start = 0;
        int n = rawQuery.length();
        while (start <= n) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            if (end > start) {
                if (out.size() >= limit) {
                    return null;
                }
                int eq = rawQuery.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    out.add(new RawParam(rawQuery.substring(start, end), ""));
                } else {
                    out.add(new RawParam(rawQuery.substring(start, eq), rawQuery.substring(eq + 1, end)));
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return out;
    }

    /**
     * The canonical query string: each name and value percent-decoded and re-encoded the SigV4 way
     * (RFC 3986 unreserved kept, everything else {@code %XX}; a '+' is a literal plus), sorted by name
     * then value, joined with '&'. {@code skipName} (decoded) is left out, e.g. {@code X-Amz-Signature}.
     */
    static String canonicalQuery(List<RawParam> params, String skipName) {
        if (params.isEmpty()) {
            return "";
        }
        List<String[]> encoded = new ArrayList<>(params.size());
        for (RawParam p : params) {
            if (skipName != null && skipName.equals(p.rawName())) {
                continue;
            }
            encoded.add(new String[] {reencode(p.rawName(), false), reencode(p.rawValue(), false)});
        }
        if (encoded.isEmpty()) {
            return "";
        }
        if (encoded.size() > 1) {
            encoded.sort((a, b) -> {
                int c = a[0].compareTo(b[0]);
                return c != 0 ? c : a[1].compareTo(b[1]);
            });
        }
        StringBuilder sb = new StringBuilder(64);
        for (String[] kv : encoded) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(kv[0]).append('=').append(kv[1]);
        }
        return sb.toString();
    }

    /**
     * Percent-decodes {@code raw} (malformed escapes are taken literally) and encodes the bytes the SigV4
     * way. With {@code keepSlash}, a literal '/' stays (an encoded {@code %2F} stays encoded).
     */
    static String reencode(String raw, boolean keepSlash) {
        if (isCanonicalAlready(raw, keepSlash)) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length() + 16);
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < n && hexVal(raw.charAt(i + 1)) >= 0
                    && hexVal(raw.charAt(i + 2)) >= 0) {
                int b = hexVal(raw.charAt(i + 1)) * 16 + hexVal(raw.charAt(i + 2));
                appendByte(sb, b);
                i += 2;
            } else if (c == '/' && keepSlash) {
                sb.append('/');
            } else if (c < 0x80) {
                appendByte(sb, c);
            } else {
                i = appendUtf8(sb, raw, i);
            }
        }
        return sb.toString();
    }

    /**
     * Encodes every character of {@code s} that is not unreserved (and not '/' with {@code keepSlash}),
     * including '%': the second pass of the double encoding.
     */
    static String encode(String s, boolean keepSlash) {
        int n = s.length();
        int i = 0;
        while (i < n && (isUnreserved(s.charAt(i)) || (keepSlash && s.charAt(i) == '/'))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (keepSlash && c == '/') {
                sb.append('/');
            } else if (c < 0x80) {
                appendByte(sb, c);
            } else {
                i = appendUtf8(sb, s, i);
            }
        }
        return sb.toString();
    }

    /**
     * The canonical URI. For S3 the path as sent, in canonical encoding; for other services dot segments
     * removed (and, when {@code collapseSlashes}, empty segments too), then every character encoded again.
     */
    static String canonicalUri(String rawPath, String service, boolean collapseSlashes) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (isS3(service)) {
            return reencode(path, true);
        }
        return encode(normalizePath(path, collapseSlashes), true);
    }

    /** RFC 3986 remove_dot_segments on '/'-separated segments; keeps a trailing slash. */
    static String normalizePath(String path, boolean collapseSlashes) {
        if (!needsNormalizing(path, collapseSlashes)) {
            return path;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] segs = p.split("/", -1);
        List<String> out = new ArrayList<>(segs.length);
        boolean trailingSlash = path.endsWith("/");
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            boolean last = i == segs.length - 1;
            if (s.equals(".")) {
                trailingSlash |= last;
            } else if (s.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                trailingSlash |= last;
            } else if (s.isEmpty()) {
                if (!collapseSlashes && !last) {
                    out.add(s);
                }
            } else {
                out.add(s);
            }
        }
        StringBuilder sb = new StringBuilder(path.length());
        for (String s : out) {
            sb.append('/').append(s);
        }
        if (out.isEmpty() || trailingSlash) {
            sb.append('/');
        }
        return sb.toString();
    }

    /** True when collapsing empty segments would change the path (so a second candidate is worth trying). */
    static boolean hasEmptySegments(String path) {
        return path.contains("//");
    }

    private static boolean needsNormalizing(String path, boolean collapseSlashes) {
        if (!path.startsWith("/")) {
            return true;
        }
        if (collapseSlashes && path.contains("//")) {
            return true;
        }
        return path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..");
    }

    /**
     * Appends {@code name:value} for one signed header: the values (one per header line) trimmed, inner
     * runs of whitespace folded to one space, joined with ','.
     */
    static void appendHeaderValues(StringBuilder sb, List<String> values) {
        for (int v = 0; v < values.size(); v++) {
            if (v > 0) {
                sb.append(',');
            }
            foldWhitespace(sb, values.get(v));
        }
    }

    /** Trims and folds each inner whitespace run (space, tab, CR, LF, VT, FF) to one space, as the AWS SDKs do. */
    static void foldWhitespace(StringBuilder sb, String value) {
        if (alreadyFolded(value)) {
            sb.append(value); // the common case (tokens, dates, hashes): one copy instead of a char at a time
            return;
        }
        int before = sb.length();
        boolean start = true;
        boolean prevWs = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isWhitespace(c)) {
                if (prevWs || start) {
                    continue;
                }
                sb.append(' ');
                prevWs = true;
            } else {
                sb.append(c);
                start = false;
                prevWs = false;
            }
        }
        int end = sb.length();
        while (end > before && isWhitespace(sb.charAt(end - 1))) {
            end--;
        }
        sb.setLength(end);
    }

    /** True when folding would not change {@code value}: no leading, trailing or repeated whitespace, only spaces. */
    private static boolean alreadyFolded(String value) {
        int n = value.length();
        if (n > 0 && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(n - 1)))) {
            return false;
        }
        boolean prevSpace = false;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                if (prevSpace) {
                    return false;
                }
                prevSpace = true;
            } else if (isWhitespace(c)) {
                return false;
            } else {
                prevSpace = false;
            }
        }
        return true;
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f';
    }

    /** Percent-decodes to a string, strictly UTF-8; {@code null} when not valid UTF-8. */
    static String decodeStrict(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < n && hexVal(raw.charAt(i + 1)) >= 0
                    && hexVal(raw.charAt(i + 2)) >= 0) {
                bytes.write(hexVal(raw.charAt(i + 1)) * 16 + hexVal(raw.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isCanonicalAlready(String raw, boolean keepSlash) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!isUnreserved(c) && !(keepSlash && c == '/')) {
                return false;
            }
        }
        return true;
    }

    private static int hexVal(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static void appendByte(StringBuilder sb, int b) {
        if (isUnreserved(b)) {
            sb.append((char) b);
        } else {
            sb.append('%').append(HEX_UPPER[(b >> 4) & 0xf]).append(HEX_UPPER[b & 0xf]);
        }
    }

    /** Appends the UTF-8 encoding of the code point at {@code i}; returns the index of its last char. */
    private static int appendUtf8(StringBuilder sb, String s, int i) {
        char c = s.charAt(i);
        int cp;
        int last = i;
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            cp = Character.toCodePoint(c, s.charAt(i + 1));
            last = i + 1;
        } else if (Character.isSurrogate(c)) {
            cp = 0xFFFD;
        } else {
            cp = c;
        }
        if (cp < 0x800) {
            appendByte(sb, 0xC0 | (cp >> 6));
            appendByte(sb, 0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            appendByte(sb, 0xE0 | (cp >> 12));
            appendByte(sb, 0x80 | ((cp >> 6) & 0x3F));
            appendByte(sb, 0x80 | (cp & 0x3F));
        } else {
            appendByte(sb, 0xF0 | (cp >> 18));
            appendByte(sb, 0x80 | ((cp >> 12) & 0x3F));
            appendByte(sb, 0x80 | ((cp >> 6) & 0x3F));
            appendByte(sb, 0x80 | (cp & 0x3F));
        }
        return last;
    }
}
