package dev.portcullis.core.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The AWS SDK for Java v2 signer as an oracle: random requests signed by the SDK verify, every
 * single-character tamper of a signed part is rejected, and our signer computes the SDK's signature.
 * Tries are bounded to keep the suite fast on 2 cores.
 */
class SdkOraclePropertiesTest {

    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String REGION = "eu-west-3";
    static final Instant SIGNED_AT = Instant.parse("2026-03-14T15:09:26Z");
    static final PrincipalIdentity ALICE =
            new PrincipalIdentity("arn:aws:iam::123456789012:user/alice", "123456789012", "AIDAALICE");

    @Property(tries = 150)
    void requestsSignedByTheSdkVerify(@ForAll("inputs") SdkOracle.Input in, @ForAll("skews") int skewSeconds)
            throws SigV4Exception {
        SdkOracle.Wire wire = SdkOracle.sign(in, AKID, SECRET, REGION, fixed(SIGNED_AT));

        VerifiedRequest v = verifier(in.sessionToken(), SIGNED_AT.plusSeconds(skewSeconds))
                .verify(wire.toSigV4Request(), REGION, in.service());

        assertThat(v.principal()).isEqualTo(ALICE);
        assertThat(v.sessionToken()).isEqualTo(in.sessionToken());
        assertThat(v.form()).isEqualTo(in.presign() ? VerifiedRequest.Form.QUERY : VerifiedRequest.Form.HEADER);
        assertThat(v.payloadVerified())
                .isEqualTo(!in.unsignedPayload() && !(in.presign() && in.service().equals("s3")));
    }

    @Property(tries = 60)
    void everySingleCharacterTamperOfASignedPartIsRejected(@ForAll("inputs") SdkOracle.Input in) {
        SdkOracle.Wire wire = SdkOracle.sign(in, AKID, SECRET, REGION, fixed(SIGNED_AT));
        SigV4Verifier verifier = verifier(in.sessionToken(), SIGNED_AT);
        List<String> signedHeaders = signedHeaderNames(wire);
        boolean bodySigned = !(in.presign() && in.service().equals("s3")) && !in.unsignedPayload();
        for (Site site : Site.values()) {
            for (SdkOracle.Wire tampered : site.tampers(wire, signedHeaders, bodySigned)) {
                assertThatThrownBy(() -> verifier.verify(tampered.toSigV4Request(), REGION, in.service()))
                        .as("tamper of %s: %s", site, describe(tampered))
                        .isInstanceOf(SigV4Exception.class);
            }
        }
    }

    @Property(tries = 150)
    void ourSignerComputesTheSdkSignature(@ForAll("inputs") SdkOracle.Input in) {
        SdkOracle.Wire wire = SdkOracle.sign(in, AKID, SECRET, REGION, fixed(SIGNED_AT));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(SdkOracle.HOST));
        for (Map.Entry<String, String> h : in.headers()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        String rawQuery = SdkHttpUtils.encodeAndFlattenQueryParameters(
                SdkOracle.sdkRequest(in).rawQueryParameters()).orElse(null);
        SigningRequest request = new SigningRequest(in.method(), in.encodedPath(), rawQuery, headers, in.body());
        SigV4Signer signer = SigV4Signer.create().withClock(fixed(SIGNED_AT)).withContentSha256Header(true)
                .withUnsignedPayload(in.unsignedPayload());
        AwsCredentials creds = AwsCredentials.of(AKID, SECRET, in.sessionToken());

        SignedRequest ours = in.presign()
                ? signer.presign(request, creds, REGION, in.service(), Duration.ofMinutes(10))
                : signer.sign(request, creds, REGION, in.service());

        assertThat(ours.signature()).isEqualTo(sdkSignature(wire));
    }

    // ------------------------------------------------------------------ tampering

    /** Where a tamper goes; each site yields every single-character (or single-byte) change, capped. */
    enum Site {
        METHOD, PATH, QUERY, HEADER, BODY;

        static final int MAX_PER_SITE = 64;

        List<SdkOracle.Wire> tampers(SdkOracle.Wire w, List<String> signedHeaders, boolean bodySigned) {
            List<SdkOracle.Wire> out = new ArrayList<>();
            switch (this) {
                case METHOD -> out.add(new SdkOracle.Wire(w.method().equals("GET") ? "PUT" : "GET", w.rawPath(),
                        w.rawQuery(), w.headers(), w.body()));
                case PATH -> {
                    for (String p : tamperText(w.rawPath())) {
                        out.add(new SdkOracle.Wire(w.method(), p, w.rawQuery(), w.headers(), w.body()));
                    }
                }
                case QUERY -> {
                    if (w.rawQuery() != null) {
                        for (String q : tamperText(w.rawQuery())) {
                            out.add(new SdkOracle.Wire(w.method(), w.rawPath(), q, w.headers(), w.body()));
                        }
                    }
                }
                case HEADER -> {
                    List<String> names = new ArrayList<>(signedHeaders);
                    names.add("authorization");
                    for (Map.Entry<String, List<String>> e : w.headers().entrySet()) {
                        if (!names.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                            continue;
                        }
                        for (int i = 0; i < e.getValue().size(); i++) {
                            for (String t : tamperText(e.getValue().get(i))) {
                                List<String> values = new ArrayList<>(e.getValue());
                                values.set(i, t);
                                Map<String, List<String>> h = new LinkedHashMap<>(w.headers());
                                h.put(e.getKey(), values);
                                out.add(new SdkOracle.Wire(w.method(), w.rawPath(), w.rawQuery(), h, w.body()));
                            }
                        }
                    }
                }
                case BODY -> {
                    if (bodySigned) {
                        for (int i = 0; i < Math.min(w.body().length, MAX_PER_SITE); i++) {
                            byte[] b = w.body().clone();
                            b[i] ^= 0x01;
                            out.add(new SdkOracle.Wire(w.method(), w.rawPath(), w.rawQuery(), w.headers(), b));
                        }
                    }
                }
                default -> throw new AssertionError(this);
            }
            return out;
        }
    }

    /**
     * Every replacement of one letter or digit that is not part of a percent escape by another letter
     * (at most {@link Site#MAX_PER_SITE}, spread over the string): always a different request, never an
     * equivalent encoding of the same one.
     */
    static List<String> tamperText(String s) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean inEscape = (i >= 1 && s.charAt(i - 1) == '%') || (i >= 2 && s.charAt(i - 2) == '%');
            if (c < 0x80 && Character.isLetterOrDigit(c) && !inEscape) {
                positions.add(i);
            }
        }
        int step = Math.max(1, (positions.size() + Site.MAX_PER_SITE - 1) / Site.MAX_PER_SITE);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < positions.size(); k += step) {
            int i = positions.get(k);
            char replacement = s.charAt(i) == 'Z' ? 'Y' : 'Z';
            out.add(s.substring(0, i) + replacement + s.substring(i + 1));
        }
        return out;
    }

    static List<String> signedHeaderNames(SdkOracle.Wire w) {
        String list;
        if (w.rawQuery() != null && w.rawQuery().contains("X-Amz-SignedHeaders=")) {
            Matcher m = Pattern.compile("X-Amz-SignedHeaders=([^&]*)").matcher(w.rawQuery());
            m.find();
            list = m.group(1).replace("%3B", ";");
        } else {
            String auth = w.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("authorization"))
                    .findFirst().orElseThrow().getValue().get(0);
            Matcher m = Pattern.compile("SignedHeaders=([^,]*)").matcher(auth);
            m.find();
            list = m.group(1);
        }
        return List.of(list.split(";"));
    }

    static String sdkSignature(SdkOracle.Wire w) {
        if (w.rawQuery() != null && w.rawQuery().contains("X-Amz-Signature=")) {
            Matcher m = Pattern.compile("X-Amz-Signature=([0-9a-f]+)").matcher(w.rawQuery());
            m.find();
            return m.group(1);
        }
        String auth = w.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("authorization"))
                .findFirst().orElseThrow().getValue().get(0);
        return auth.replaceAll(".*Signature=([0-9a-f]+).*", "$1");
    }

    static String describe(SdkOracle.Wire w) {
        return w.method() + " " + w.rawPath() + "?" + w.rawQuery() + " " + w.headers() + " body="
                + new String(w.body(), StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ fixtures

    static Clock fixed(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    static SigV4Verifier verifier(String expectedToken, Instant now) {
        return SigV4Verifier.builder((id, token) -> {
            if (!id.equals(AKID)) {
                return null;
            }
            boolean tokenOk = expectedToken == null ? token == null
                    : token != null && java.security.MessageDigest.isEqual(
                    expectedToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
            if (!tokenOk) {
                throw CredentialLookup.invalidClientTokenId();
            }
            return new ResolvedCredential(SigningSecret.of(SECRET), ALICE, null);
        }).clock(fixed(now)).build();
    }

    // ------------------------------------------------------------------ generators

    private static final String SEGMENT_CHARS = "abcXYZ019-._~!$&'()*+,;=:@ %/?#é漢";
    private static final String QUERY_CHARS = "abcXYZ019-._~!$&'()*+,;=:@ %/?#=é漢😀";
    private static final String VALUE_CHARS = "abcXYZ019-._~!$&'()*+,;=:@%/?#\"é";

    @Provide
    Arbitrary<Integer> skews() {
        return Arbitraries.integers().between(-600, 600);
    }

    @Provide
    Arbitrary<SdkOracle.Input> inputs() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD");
        Arbitrary<String> service = Arbitraries.of("execute-api", "iam", "sts", "s3", "service");
        Arbitrary<List<String>> segments = text(SEGMENT_CHARS, 0, 6)
                .filter(s -> !s.equals(".") && !s.equals(".."))
                .list().ofMinSize(0).ofMaxSize(4);
        Arbitrary<Boolean> rawSubDelims = Arbitraries.of(true, false);
        Arbitrary<List<Map.Entry<String, String>>> query = Combinators.combine(
                        Arbitraries.oneOf(text(QUERY_CHARS, 1, 6), Arbitraries.of("Param", "Action", "a")),
                        text(QUERY_CHARS, 0, 8))
                .as(Map::entry).list().ofMinSize(0).ofMaxSize(4);
        Arbitrary<List<Map.Entry<String, String>>> headers = Combinators.combine(
                        Arbitraries.of("X-Test-One", "x-test-two", "Content-Type", "X-Amz-Meta-Note"),
                        Combinators.combine(spaces(), text(VALUE_CHARS, 1, 8), spaces(), text(VALUE_CHARS, 0, 5),
                                spaces()).as((a, b, c, d, e) -> a + b + c + d + e))
                .as(Map::entry).list().ofMinSize(0).ofMaxSize(3);
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(64);
        Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.strings().withChars("ABCxyz0189+/=").ofMinLength(8).ofMaxLength(40));
        return Combinators.combine(method, service, segments, rawSubDelims, query, headers, body, token)
                .as((m, svc, segs, raw, q, h, b, t) -> Tuple.of(m, svc, segs, raw, q, h, b, t))
                .flatMap(tu -> Combinators.combine(Arbitraries.of(true, false),
                        Arbitraries.of(false, false, true)).as((presign, unsigned) -> {
                    boolean s3 = tu.get2().equals("s3");
                    String path = encodePath(tu.get3(), tu.get4() && !s3);
                    byte[] bytes = tu.get1().equals("GET") || tu.get1().equals("HEAD") ? new byte[0] : tu.get7();
                    // the SDK sends UNSIGNED-PAYLOAD in the header form only
                    return new SdkOracle.Input(tu.get1(), path, tu.get5(), tu.get6(), bytes, tu.get2(), tu.get8(),
                            presign, unsigned && !presign);
                }));
    }

    static Arbitrary<String> text(String chars, int min, int max) {
        List<String> cps = chars.codePoints().mapToObj(Character::toString).toList();
        return Arbitraries.of(cps).list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("", l));
    }

    static Arbitrary<String> spaces() {
        return Arbitraries.of("", "", " ", "  ", "\t", " \t ");
    }

    /** Encodes segments as a client would: fully, or leaving RFC 3986 sub-delims, ':' and '@' raw. */
    static String encodePath(List<String> segments, boolean leaveSubDelimsRaw) {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            String enc = SdkHttpUtils.urlEncode(s);
            if (leaveSubDelimsRaw) {
                for (String d : List.of("!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@")) {
                    enc = enc.replace(String.format("%%%02X", (int) d.charAt(0)), d);
                }
            }
            sb.append('/').append(enc);
        }
        return sb.toString();
    }
}
