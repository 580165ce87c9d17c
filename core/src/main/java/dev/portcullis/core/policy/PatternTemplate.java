package dev.portcullis.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy string as written: literal text, wildcards (where the element allows them) and policy
 * variables ({@code ${aws:username}}, {@code ${aws:PrincipalTag/team, 'none'}}), plus the escapes
 * {@code ${*}}, {@code ${?}} and {@code ${$}} which stand for the literal characters.
 *
 * <p>Variables exist only in policy version {@code 2012-10-17}; in {@code 2008-10-17} the text is
 * taken literally. A template without variables is compiled once; one with variables is resolved
 * per request (the slow path), and does not match when a variable has no single value and no
 * default ("IAM policy elements: Variables and tags").
 */
final class PatternTemplate {

    sealed interface Part permits Lit, Wild, Var {}

    record Lit(String text) implements Part {}

    record Wild(char c) implements Part {}

    /** @param key lower-cased key name; {@code defaultValue} is null when none was given. */
    record Var(String key, String defaultValue) implements Part {}

    private final String source;
    private final List<Part> parts;
    private final boolean hasVariables;

    private PatternTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.hasVariables = parts.stream().anyMatch(p -> p instanceof Var);
    }

    /**
     * Splits {@code source} into parts.
     *
     * @param wildcards treat {@code *} and {@code ?} as wildcards (Resource, Action, *Like operators)
     * @param variables recognise {@code ${…}} (version 2012-10-17)
     */
    static PatternTemplate parse(String source, boolean wildcards, boolean variables) {
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (variables && c == '$' && i + 1 < n && source.charAt(i + 1) == '{') {
                int close = source.indexOf('}', i + 2);
                if (close > 0) {
                    String body = source.substring(i + 2, close);
                    Part v = variable(body);
                    if (v != null) {
                        if (v instanceof Lit l) {
                            lit.append(l.text());
                        } else {
                            flush(parts, lit);
                            parts.add(v);
                        }
                        i = close + 1;
                        continue;
                    }
                }
            }
            if (wildcards && (c == '*' || c == '?')) {
                flush(parts, lit);
                parts.add(new Wild(c));
            } else {
                lit.append(c);
            }
            i++;
        }
        flush(parts, lit);
        return new PatternTemplate(source, parts);
    }

    /** Returns a Var, a Lit for the escapes, or null when the body is not a variable (kept literally). */
    private static Part variable(String body) {
        String b = body.trim();
        if (b.equals("*") || b.equals("?") || b.equals("$")) {
            return new Lit(b);
        }
        String key = b;
        String def = null;
        int comma = b.indexOf(',');
        if (comma >= 0) {
            key = b.substring(0, comma).trim();
            String d = b.substring(comma + 1).trim();
            if (d.length() < 2 || d.charAt(0) != '\'' || d.charAt(d.length() - 1) != '\'') {
                return null;
            }
            def = d.substring(1, d.length() - 1);
        }
        if (key.isEmpty() || key.indexOf(':') <= 0) {
            return null;
        }
        return new Var(key.toLowerCase(Locale.ROOT), def);
    }

    private static void flush(List<Part> parts, StringBuilder lit) {
        if (lit.length() > 0) {
            parts.add(new Lit(lit.toString()));
            lit.setLength(0);
        }
    }

    String source() {
        return source;
    }

    List<Part> parts() {
        return parts;
    }

    boolean hasVariables() {
        return hasVariables;
    }

    /** Variable keys this template reads (lower-cased). */
    List<String> variableKeys() {
        List<String> keys = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Var v) {
                keys.add(v.key());
            }
        }
        return keys;
    }

    /** The literal text when the template has no wildcards and no variables, else null. */
    String literalOrNull() {
        if (parts.isEmpty()) {
            return "";
        }
        if (parts.size() == 1 && parts.get(0) instanceof Lit l) {
            return l.text();
        }
        return null;
    }

    /**
     * Substitutes variables; returns null when one has no single value and no default.
     * Substituted values are literal text (a {@code *} inside a tag value is not a wildcard).
     */
    List<Part> resolve(ContextValues ctx) {
        List<Part> out = new ArrayList<>(parts.size());
        for (Part p : parts) {
            if (p instanceof Var v) {
                String value = ctx.single(v.key());
                if (value == null) {
                    if (v.defaultValue() == null) {
                        return null;
                    }
                    value = v.defaultValue();
                }
                out.add(new Lit(value));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The per-request path for a pattern with variables: substitutes them and matches {@code s}
     * without building a {@link Glob} (two small arrays, no interning). False when a variable has
     * no single value and no default.
     */
    boolean matchesResolved(ContextValues ctx, String s) {
        int n = parts.size();
        String[] values = new String[n];
        int len = 0;
        for (int i = 0; i < n; i++) {
            Part p = parts.get(i);
            if (p instanceof Lit l) {
                len += l.text().length();
            } else if (p instanceof Wild) {
                len++;
            } else {
                Var v = (Var) p;
                String value = ctx.single(v.key());
                if (value == null) {
                    if (v.defaultValue() == null) {
                        return false;
                    }
                    value = v.defaultValue();
                }
                values[i] = value;
                len += value.length();
            }
        }
        char[] text = new char[len];
        byte[] wild = new byte[len];
        int at = 0;
        for (int i = 0; i < n; i++) {
            Part p = parts.get(i);
            if (p instanceof Wild w) {
                text[at] = w.c();
                wild[at++] = (byte) (w.c() == '*' ? 1 : 2);
            } else {
                String t = p instanceof Lit l ? l.text() : values[i];
                t.getChars(0, t.length(), text, at);
                at += t.length();
            }
        }
        return Glob.matchGeneral(text, wild, len, s);
    }

    /** Substitutes variables into plain text (no wildcards); null when unresolvable. */
    String resolveText(ContextValues ctx) {
        if (!hasVariables) {
            return literalOrNull() != null ? literalOrNull() : joinLiteral(parts);
        }
        List<Part> r = resolve(ctx);
        return r == null ? null : joinLiteral(r);
    }

    private static String joinLiteral(List<Part> parts) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Lit l) {
                sb.append(l.text());
            } else if (p instanceof Wild w) {
                sb.append(w.c());
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
