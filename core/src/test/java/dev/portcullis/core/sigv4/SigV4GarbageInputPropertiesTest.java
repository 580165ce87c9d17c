package dev.portcullis.core.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Garbage in any signature-bearing place ends in a typed {@link SigV4Exception}, never anything else. */
class SigV4GarbageInputPropertiesTest {

    static final Instant T = Instant.parse("2015-08-30T12:36:00Z");

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("AWS4-HMAC-SHA256 Credential=/,;=SignedHeaders Signature %\t")
                        .ofMaxLength(120),
                Arbitraries.of("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e",
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                                + "SignedHeaders=;;, Signature=", "AWS4-HMAC-SHA256 ,,,,", "%", "%%%", "%F", "=&="));
    }

    @Property(tries = 300)
    void garbageAuthorizationHeaderIsATypedError(@ForAll("garbage") String authorization,
                                                 @ForAll("garbage") String date) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Host", List.of("example.amazonaws.com"));
        h.put("Authorization", List.of(authorization));
        h.put("X-Amz-Date", List.of(date));
        assertTypedFailure(SigV4Request.of("GET", "/", null, HeaderSource.of(h), null));
    }

    @Property(tries = 300)
    void garbageQueryStringAndPathAreATypedError(@ForAll("garbage") String query, @ForAll("garbage") String path) {
        String q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&" + query;
        assertTypedFailure(SigV4Request.of("GET", "/" + path, q,
                HeaderSource.of(Map.of("Host", List.of("h"))), null));
        assertTypedFailure(SigV4Request.of("GET", "/" + path, query,
                HeaderSource.of(Map.of("Host", List.of("h"))), null));
    }

    static void assertTypedFailure(SigV4Request r) {
        SigV4Verifier v = SigV4Verifier.builder((id, token) -> null).clock(Clock.fixed(T, ZoneOffset.UTC)).build();
        try {
            v.verify(r, "us-east-1", "iam");
            throw new AssertionError("garbage verified");
        } catch (SigV4Exception e) {
            assertThat(e.error().awsCode()).isNotBlank();
            assertThat(e.error().message()).isNotBlank();
        }
    }
}
