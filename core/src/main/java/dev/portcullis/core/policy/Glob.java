package dev.portcullis.core.policy;

import java.util.List;
import java.util.Locale;

/**
 * A compiled IAM wildcard pattern: {@code *} matches any run of characters (including none),
 * {@code ?} exactly one. Compiled once, when a policy is written, into the cheapest shape that
 * can decide it: exact, prefix, suffix, contains, any, or a general backtracking glob.
 *
 * <p>Literal {@code *} and {@code ?} (from the {@code ${*}} and {@code ${?}} escapes) stay literal:
 * the general shape keeps a wildcard mask beside the text instead of re-reading the characters.
 * Case-insensitive globs (actions) hold lower-case literals; callers pass lower-cased input.
 */
final class Glob {

    enum Shape { ANY, EXACT, PREFIX, SUFFIX, CONTAINS, GENERAL }

    static final Glob ANY = new Glob(Shape.ANY, "", null, null);

    private final Shape shape;
    private final String literal;
    private final char[] text;
    private final byte[] wild; // 0 literal, 1 '*', 2 '?'

    private Glob(Shape shape, String literal, char[] text, byte[] wild) {
        this.shape = shape;
        this.literal = literal;
        this.text = text;
        this.wild = wild;
    }

    /** A glob matching exactly {@code s}. */
    static Glob exact(String s) {
        return new Glob(Shape.EXACT, s, null, null);
    }

    /**
     * Compiles resolved pattern parts (literals and wildcards only).
     *
     * @param lowerCase lower-case the literals (for case-insensitive matching of lower-cased input)
     */
    static Glob of(List<PatternTemplate.Part> parts, boolean lowerCase) {
        StringBuilder sb = new StringBuilder();
        StringBuilder mask = new StringBuilder();
        for (PatternTemplate.Part part : parts) {
            if (part instanceof PatternTemplate.Lit lit) {
                String t = lowerCase ? lit.text().toLowerCase(Locale.ROOT) : lit.text();
                sb.append(t);
                mask.append("0".repeat(t.length()));
            } else if (part instanceof PatternTemplate.Wild w) {
                // "**" is the same as "*": collapse runs so the general matcher stays linear-ish.
                if (w.c() == '*' && mask.length() > 0 && mask.charAt(mask.length() - 1) == '1') {
                    continue;
                }
                sb.append(w.c());
                mask.append(w.c() == '*' ? '1' : '2');
            } else {
                throw new IllegalStateException("unresolved variable in glob");
            }
        }
        return fromMasked(sb.toString(), mask.toString());
    }

    /** Compiles a plain pattern string where every {@code *} and {@code ?} is a wildcard. */
    static Glob ofPattern(String pattern, boolean lowerCase) {
        String p = lowerCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        StringBuilder sb = new StringBuilder();
        StringBuilder mask = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && mask.length() > 0 && mask.charAt(mask.length() - 1) == '1') {
                continue;
            }
            sb.append(c);
            mask.append(c == '*' ? '1' : c == '?' ? '2' : '0');
        }
        return fromMasked(sb.toString(), mask.toString());
    }

    private static Glob fromMasked(String s, String mask) {
        int stars = 0;
        int qmarks = 0;
        for (int i = 0; i < mask.length(); i++) {
            if (mask.charAt(i) == '1') {
                stars++;
            } else if (mask.charAt(i) == '2') {
                qmarks++;
            }
        }
        if (qmarks == 0) {
            if (stars == 0) {
                return new Glob(Shape.EXACT, s.intern(), null, null);
            }
            if (s.length() == 1) {
                return ANY;
            }
            boolean first = mask.charAt(0) == '1';
            boolean last = mask.charAt(mask.length() - 1) == '1';
            if (stars == 1 && last) {
                return new Glob(Shape.PREFIX, s.substring(0, s.length() - 1).intern(), null, null);
            }
            if (stars == 1 && first) {
                return new Glob(Shape.SUFFIX, s.substring(1).intern(), null, null);
            }
            if (stars == 2 && first && last) {
                return new Glob(Shape.CONTAINS, s.substring(1, s.length() - 1).intern(), null, null);
            }
        }
        byte[] w = new byte[mask.length()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (mask.charAt(i) - '0');
        }
        return new Glob(Shape.GENERAL, s, s.toCharArray(), w);
    }

    Shape shape() {
        return shape;
    }

    boolean matches(String s) {
        switch (shape) {
            case ANY:
                return true;
            case EXACT:
                return literal.equals(s);
            case PREFIX:
                return s.startsWith(literal);
            case SUFFIX:
                return s.endsWith(literal);
            case CONTAINS:
                return s.contains(literal);
            default:
                return matchGeneral(s);
        }
    }

    private boolean matchGeneral(String s) {
        return matchGeneral(text, wild, text.length, s);
    }

    /**
     * Classic greedy-star matching with one backtrack point: O(n·m) worst case, no allocation.
     * {@code wild[i]}: 0 literal, 1 {@code *}, 2 {@code ?}.
     */
    static boolean matchGeneral(char[] text, byte[] wild, int n, String s) {
        int p = 0;
        int i = 0;
        int starP = -1;
        int starI = 0;
        int len = s.length();
        while (i < len) {
            if (p < n && wild[p] == 0 && text[p] == s.charAt(i)) {
                p++;
                i++;
            } else if (p < n && wild[p] == 2) {
                p++;
                i++;
            } else if (p < n && wild[p] == 1) {
                starP = p++;
                starI = i;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < n && wild[p] == 1) {
            p++;
        }
        return p == n;
    }

    @Override
    public String toString() {
        if (shape == Shape.GENERAL) {
            return new String(text);
        }
        switch (shape) {
            case ANY: return "*";
            case PREFIX: return literal + "*";
            case SUFFIX: return "*" + literal;
            case CONTAINS: return "*" + literal + "*";
            default: return literal;
        }
    }
}
