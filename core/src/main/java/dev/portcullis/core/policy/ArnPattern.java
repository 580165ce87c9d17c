package dev.portcullis.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * An ARN pattern for {@code ArnEquals}/{@code ArnLike}: each of the six colon-delimited parts is
 * matched on its own, so a wildcard in the account part cannot swallow the region ("ArnLike: …
 * each of the six colon-delimited components of the ARN is checked separately"). A pattern without
 * six parts matches nothing, except a bare {@code *}.
 */
final class ArnPattern {

    private final Glob[] segments; // length 6, or 1 for a whole-value pattern

    private ArnPattern(Glob[] segments) {
        this.segments = segments;
    }

    static ArnPattern of(List<PatternTemplate.Part> parts) {
        List<List<PatternTemplate.Part>> segs = new ArrayList<>();
        List<PatternTemplate.Part> cur = new ArrayList<>();
        for (PatternTemplate.Part p : parts) {
            if (p instanceof PatternTemplate.Lit lit && segs.size() < 5) {
                String t = lit.text();
                int start = 0;
                int colon;
                while (segs.size() < 5 && (colon = t.indexOf(':', start)) >= 0) {
                    if (colon > start) {
                        cur.add(new PatternTemplate.Lit(t.substring(start, colon)));
                    }
                    segs.add(cur);
                    cur = new ArrayList<>();
                    start = colon + 1;
                }
                if (start < t.length()) {
                    cur.add(new PatternTemplate.Lit(t.substring(start)));
                }
            } else {
                cur.add(p);
            }
        }
        segs.add(cur);
        if (segs.size() != 6) {
            // Not an ARN pattern: only a bare "*" still matches (any value); anything else matches nothing.
            Glob whole = Glob.of(parts, false);
            return new ArnPattern(new Glob[] {whole.shape() == Glob.Shape.ANY ? whole : null});
        }
        Glob[] globs = new Glob[6];
        for (int i = 0; i < 6; i++) {
            globs[i] = Glob.of(segs.get(i), false);
        }
        return new ArnPattern(globs);
    }

    boolean matches(String value) {
        if (segments.length == 1) {
            return segments[0] != null && segments[0].matches(value);
        }
        int start = 0;
        for (int i = 0; i < 5; i++) {
            int colon = value.indexOf(':', start);
            if (colon < 0 || !segments[i].matches(value.substring(start, colon))) {
                return false;
            }
            start = colon + 1;
        }
        return segments[5].matches(value.substring(start));
    }
}
