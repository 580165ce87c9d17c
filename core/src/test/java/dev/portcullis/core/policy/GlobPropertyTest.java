package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A compiled {@link Glob}, whatever shape it took, agrees with a straightforward reference matcher. */
class GlobPropertyTest {

    @Property(tries = 2000)
    void compiledGlobAgreesWithReferenceMatcher(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        Glob glob = Glob.ofPattern(pattern, false);
        assertThat(glob.matches(text)).as("%s (%s) vs %s", pattern, glob.shape(), text)
                .isEqualTo(reference(pattern, 0, text, 0));
    }

    @Property(tries = 500)
    void caseInsensitiveGlobMatchesLowerCasedInput(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        Glob glob = Glob.ofPattern(pattern.toUpperCase(), true);
        assertThat(glob.matches(text.toLowerCase())).isEqualTo(reference(pattern.toLowerCase(), 0, text.toLowerCase(), 0));
    }

    @Property(tries = 500)
    void escapedWildcardsFromVariablesAreLiteral(@ForAll("texts") String text) {
        PatternTemplate t = PatternTemplate.parse("a${*}b${?}", true, true);
        Glob glob = Glob.of(t.parts(), false);
        assertThat(glob.matches(text)).isEqualTo(text.equals("a*b?"));
    }

    /** The reference: recursive backtracking, the definition of * and ? and nothing else. */
    static boolean reference(String p, int i, String s, int j) {
        if (i == p.length()) {
            return j == s.length();
        }
        char c = p.charAt(i);
        if (c == '*') {
            for (int k = j; k <= s.length(); k++) {
                if (reference(p, i + 1, s, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == s.length()) {
            return false;
        }
        return (c == '?' || c == s.charAt(j)) && reference(p, i + 1, s, j + 1);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('a', 'b', '/', ':', '*', '?').ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars('a', 'b', '/', ':', '*', '?').ofMaxLength(10);
    }
}
