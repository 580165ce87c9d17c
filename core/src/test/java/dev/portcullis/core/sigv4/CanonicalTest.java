package dev.portcullis.core.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "execute-api | /                    | /",
        "execute-api | ''                   | /",
        "execute-api | /a/./b/../c          | /a/c",
        "execute-api | //a//b//             | /a/b/",
        "execute-api | /a/..                | /",
        "execute-api | /a%20b/c%2Fd         | /a%2520b/c%252Fd",
        "execute-api | /caf%C3%A9           | /caf%25C3%25A9",
        "execute-api | /a b/é               | /a%20b/%C3%A9",
        "execute-api | /a!b(c)*             | /a%21b%28c%29%2A",
        "s3          | /bucket/a%20b/c%2Fd  | /bucket/a%20b/c%2Fd",
        "s3          | /bucket/./x/../y     | /bucket/./x/../y",
        "s3          | //double//slash      | //double//slash",
        "s3          | /k/a b!(é)           | /k/a%20b%21%28%C3%A9%29",
        "s3          | /k/%7e%41            | /k/~A",
    })
    void canonicalUriFollowsTheServiceRules(String service, String rawPath, String expected) {
        assertThat(Canonical.canonicalUri(rawPath, service, true)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                          | ''",
        "b=2&a=1                     | a=1&b=2",
        "a=2&a=1&a=10                | a=1&a=10&a=2",
        "flag&x=                     | flag=&x=",
        "a=b+c                       | a=b%2Bc",
        "a=b%20c&c=%7e               | a=b%20c&c=~",
        "q=caf%c3%a9                 | q=caf%C3%A9",
        "k=a/b:c@d                   | k=a%2Fb%3Ac%40d",
        "&&a=1&&                     | a=1",
        "bad=%ZZ%4                   | bad=%25ZZ%254",
        "A=1&a=1&B=1                 | A=1&B=1&a=1",
    })
    void canonicalQueryDecodesReencodesAndSorts(String rawQuery, String expected) {
        assertThat(Canonical.canonicalQuery(Canonical.splitQuery(rawQuery, 100), null)).isEqualTo(expected);
    }

    @Test
    void canonicalQueryLeavesOutTheSignatureOfPresignedUrls() {
        assertThat(Canonical.canonicalQuery(Canonical.splitQuery("X-Amz-Signature=abc&b=1", 10), "X-Amz-Signature"))
                .isEqualTo("b=1");
    }

    @Test
    void headerValuesAreTrimmedFoldedAndJoined() {
        StringBuilder sb = new StringBuilder();
        Canonical.appendHeaderValues(sb, List.of("  a \t  b  ", "c", "\"x   y\"", ""));
        assertThat(sb).hasToString("a b,c,\"x y\",");
    }

    @Test
    void headerSourceIsCaseInsensitiveAndKeepsOrder() {
        HeaderSource h = HeaderSource.of(Map.of("X-Thing", List.of("1", "2")));
        assertThat(h.values("x-thing")).containsExactly("1", "2");
        assertThat(h.values("X-THING")).containsExactly("1", "2");
        assertThat(h.values("absent")).isEmpty();
    }

    @Test
    void rawHttpRequestParsesCrlfFoldingAndAbsoluteTargets() {
        RawHttpRequest r = RawHttpRequest.parse(("POST http://example.com/a%20b?x=1 HTTP/1.1\r\nHost: example.com\r\n"
                + "X-Long: part1\r\n  part2\r\nX-Long: again\r\n\r\nbody\r\nmore").getBytes(StandardCharsets.UTF_8));
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/a%20b");
        assertThat(r.rawQuery()).isEqualTo("x=1");
        assertThat(r.headers().get("X-Long")).containsExactly("part1 part2", "again");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("body\r\nmore");
    }

    @Test
    void amzDateIsStrict() {
        assertThat(AmzDate.parseBasic("20150830T123600Z")).isNotNull();
        assertThat(AmzDate.parseBasic("20150830T123600")).isNull();
        assertThat(AmzDate.parseBasic("20151330T123600Z")).isNull();
        assertThat(AmzDate.parseBasic("2015083OT123600Z")).isNull();
        assertThat(AmzDate.parseRfc1123("Sun, 30 Aug 2015 12:36:00 GMT")).isEqualTo(AmzDate.parseBasic("20150830T123600Z"));
        assertThat(AmzDate.formatBasic(AmzDate.parseBasic("20150830T123600Z"))).isEqualTo("20150830T123600Z");
    }
}
