package dev.portcullis.core.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every way a request can fail gets AWS's code and message, and never an unchecked exception. */
class SigV4VerifierErrorsTest {

    static final String AKID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Instant T = Instant.parse("2015-08-30T12:36:00Z");
    static final PrincipalIdentity WHO =
            new PrincipalIdentity("arn:aws:iam::123456789012:user/alice", "123456789012", "AIDAALICE");

    static final CredentialLookup LOOKUP = (id, token) -> {
        if (id.equals(AKID)) {
            return new ResolvedCredential(SigningSecret.of(SECRET), WHO, null);
        }
        if (id.equals("ASIAEXPIRED")) {
            throw CredentialLookup.expiredToken();
        }
        return null;
    };

    static SigV4Verifier verifierAt(Instant now) {
        return SigV4Verifier.builder(LOOKUP).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    /** A header-signed request: raw headers (name → values) plus the signature headers. */
    static Map<String, List<String>> signed(String method, String path, String query, byte[] body, Instant at,
                                            String service, AwsCredentials creds) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        SignedRequest s = SigV4Signer.create().withClock(Clock.fixed(at, ZoneOffset.UTC))
                .sign(new SigningRequest(method, path, query, headers, body), creds, "us-east-1", service);
        Map<String, List<String>> out = new LinkedHashMap<>(headers);
        s.headers().forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    static Map<String, List<String>> signed() {
        return signed("GET", "/", null, new byte[0], T, "iam", AwsCredentials.of(AKID, SECRET));
    }

    static SigV4Error fails(SigV4Verifier v, SigV4Request r, String region, String service) {
        SigV4Exception e = catchThrowableOfType(SigV4Exception.class, () -> v.verify(r, region, service));
        assertThat(e).as("expected a SigV4Exception").isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET);
        return e.error();
    }

    static SigV4Error fails(Map<String, List<String>> headers) {
        return fails(verifierAt(T), req(headers), "us-east-1", "iam");
    }

    static SigV4Request req(Map<String, List<String>> headers) {
        return SigV4Request.of("GET", "/", null, HeaderSource.of(headers), new byte[0]);
    }

    static Map<String, List<String>> with(Map<String, List<String>> h, String name, String... values) {
        Map<String, List<String>> out = new LinkedHashMap<>(h);
        out.put(name, List.of(values));
        return out;
    }

    static String auth(Map<String, List<String>> h) {
        return h.get("Authorization").get(0);
    }

    @Test
    void validRequestVerifiesWithPrincipalAndCanonicalForms() throws SigV4Exception {
        VerifiedRequest v = verifierAt(T.plusSeconds(60)).verify(req(signed()), "us-east-1", "iam");
        assertThat(v.principal()).isEqualTo(WHO);
        assertThat(v.accessKeyId()).isEqualTo(AKID);
        assertThat(v.requestTime()).isEqualTo(T);
        assertThat(v.signedHeaders()).containsExactly("host", "x-amz-date");
        assertThat(v.canonicalRequest()).startsWith("GET\n/\n\nhost:example.amazonaws.com\n");
        assertThat(v.payloadVerified()).isTrue();
    }

    @Test
    void unsignedRequestIsMissingAuthenticationToken() {
        SigV4Error e = fails(Map.of("Host", List.of("example.amazonaws.com")));
        assertThat(e.awsCode()).isEqualTo("MissingAuthenticationToken");
        assertThat(e.message()).isEqualTo("Request is missing Authentication Token");
        assertThat(e.httpStatus()).isEqualTo(403);
    }

    @Test
    void missingSignatureIsIncompleteSignatureNamingThePart() {
        Map<String, List<String>> h = signed();
        String a = auth(h).replaceAll(", Signature=[0-9a-f]+", "");
        SigV4Error e = fails(with(h, "Authorization", a));
        assertThat(e.awsCode()).isEqualTo("IncompleteSignature");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.message()).isEqualTo("Authorization header requires 'Signature' parameter. Authorization=" + a);
        assertThat(e.location()).isEqualTo("Authorization.Signature");
    }

    @Test
    void missingCredentialAndDateAreBothNamed() {
        Map<String, List<String>> h = signed();
        h.remove("X-Amz-Date");
        String a = auth(h).replaceAll("Credential=[^,]+, ", "");
        SigV4Error e = fails(with(h, "Authorization", a));
        assertThat(e.awsCode()).isEqualTo("IncompleteSignature");
        assertThat(e.message()).startsWith("Authorization header requires 'Credential' parameter. Authorization "
                + "header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        assertThat(e.location()).isEqualTo("Authorization.Credential,X-Amz-Date");
    }

    @Test
    void wrongAlgorithmIsIncompleteSignature() {
        Map<String, List<String>> h = signed();
        SigV4Error e = fails(with(h, "Authorization", auth(h).replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512")));
        assertThat(e.awsCode()).isEqualTo("IncompleteSignature");
        assertThat(e.message()).contains("'AWS4-HMAC-SHA512'");
    }

    @Test
    void componentWithoutEqualSignIsRejectedWithAwsWording() {
        Map<String, List<String>> h = signed();
        SigV4Error e = fails(with(h, "Authorization", auth(h) + ", garbage"));
        assertThat(e.message()).startsWith("'garbage' not a valid key=value pair (missing equal-sign) in "
                + "Authorization header: 'AWS4-HMAC-SHA256 Credential=");
    }

    @Test
    void signedHeadersWithoutHostIsRejected() {
        Map<String, List<String>> h = signed();
        SigV4Error e = fails(with(h, "Authorization", auth(h).replace("SignedHeaders=host;x-amz-date",
                "SignedHeaders=x-amz-date")));
        assertThat(e.awsCode()).isEqualTo("IncompleteSignature");
        assertThat(e.message()).isEqualTo("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void duplicateAuthorizationPartsAndHeadersAreRejected() {
        Map<String, List<String>> h = signed();
        assertThat(fails(with(h, "Authorization", auth(h) + ", Signature=00")).awsCode())
                .isEqualTo("IncompleteSignature");
        assertThat(fails(with(h, "Authorization", auth(h), auth(h))).awsCode()).isEqualTo("IncompleteSignature");
        assertThat(fails(with(h, "X-Amz-Date", "20150830T123600Z", "20150830T123600Z")).awsCode())
                .isEqualTo("IncompleteSignature");
    }

    @Test
    void unknownAccessKeyIsInvalidClientTokenId() {
        Map<String, List<String>> h = signed("GET", "/", null, new byte[0], T, "iam",
                AwsCredentials.of("AKIAUNKNOWN", SECRET));
        SigV4Error e = fails(h);
        assertThat(e.awsCode()).isEqualTo("InvalidClientTokenId");
        assertThat(e.message()).isEqualTo("The security token included in the request is invalid.");
        assertThat(e.httpStatus()).isEqualTo(403);
    }

    @Test
    void unknownAccessKeyCanUseTheJsonServicesWording() {
        Map<String, List<String>> h = signed("GET", "/", null, new byte[0], T, "iam",
                AwsCredentials.of("AKIAUNKNOWN", SECRET));
        SigV4Verifier v = SigV4Verifier.builder(LOOKUP).clock(Clock.fixed(T, ZoneOffset.UTC))
                .unknownAccessKeyCode(SigV4ErrorCode.UNRECOGNIZED_CLIENT).build();
        SigV4Error e = fails(v, req(h), "us-east-1", "iam");
        assertThat(e.awsCode()).isEqualTo("UnrecognizedClientException");
        assertThat(e.message()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void expiredSessionTokenIsExpiredToken() {
        Map<String, List<String>> h = signed("GET", "/", null, new byte[0], T, "iam",
                AwsCredentials.of("ASIAEXPIRED", SECRET, "token"));
        SigV4Error e = fails(h);
        assertThat(e.awsCode()).isEqualTo("ExpiredToken");
        assertThat(e.message()).isEqualTo("The security token included in the request is expired");
    }

    @Test
    void lookupReceivesTheSessionTokenFromHeaderAndQuery() throws SigV4Exception {
        List<String> seen = new ArrayList<>();
        SigV4Verifier v = SigV4Verifier.builder((id, token) -> {
            seen.add(token);
            return new ResolvedCredential(SigningSecret.of(SECRET), WHO, "session-data");
        }).clock(Clock.fixed(T, ZoneOffset.UTC)).build();
        AwsCredentials creds = AwsCredentials.of("ASIATEMP", SECRET, "tok/en+=");
        VerifiedRequest header = v.verify(req(signed("GET", "/", null, new byte[0], T, "iam", creds)), "us-east-1",
                "iam");
        SignedRequest p = SigV4Signer.create().withClock(Clock.fixed(T, ZoneOffset.UTC)).presign(
                new SigningRequest("GET", "/", null, Map.of("Host", List.of("h")), null), creds, "us-east-1", "iam",
                Duration.ofMinutes(5));
        VerifiedRequest query = v.verify(SigV4Request.of("GET", "/", p.rawQuery(),
                HeaderSource.of(Map.of("Host", List.of("h"))), null), "us-east-1", "iam");
        assertThat(seen).containsExactly("tok/en+=", "tok/en+=");
        assertThat(header.session()).isEqualTo("session-data");
        assertThat(query.form()).isEqualTo(VerifiedRequest.Form.QUERY);
        assertThat(query.expiresAt()).isEqualTo(T.plusSeconds(300));
    }

    @Test
    void tamperedSignatureIsSignatureDoesNotMatchWithCanonicalFormsButNoSecret() {
        Map<String, List<String>> h = signed();
        String a = auth(h);
        String flipped = a.substring(0, a.length() - 1) + (a.endsWith("0") ? "1" : "0");
        SigV4Error e = fails(with(h, "Authorization", flipped));
        assertThat(e.awsCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.message()).isEqualTo("The request signature we calculated does not match the signature you "
                + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation "
                + "for details.");
        assertThat(e.canonicalRequest()).isEqualTo("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z"
                + "\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(e.stringToSign()).startsWith("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n");
        assertThat(e.toString()).doesNotContain(SECRET);
    }

    @Test
    void requestOlderThanTheSkewWindowIsRequestExpiredWithAwsWording() {
        SigV4Error e = fails(verifierAt(Instant.parse("2015-08-30T13:01:00Z")), req(signed()), "us-east-1", "iam");
        assertThat(e.awsCode()).isEqualTo("RequestExpired");
        assertThat(e.message()).isEqualTo("Signature expired: 20150830T123600Z is now earlier than 20150830T124600Z "
                + "(20150830T130100Z - 15 min.)");
    }

    @Test
    void requestFromTheFutureIsRejected() {
        SigV4Error e = fails(verifierAt(Instant.parse("2015-08-30T12:20:00Z")), req(signed()), "us-east-1", "iam");
        assertThat(e.awsCode()).isEqualTo("RequestExpired");
        assertThat(e.message()).isEqualTo("Signature not yet current: 20150830T123600Z is still later than "
                + "20150830T123500Z (20150830T122000Z + 15 min.)");
    }

    @Test
    void skewWindowIsConfigurablePerService() throws SigV4Exception {
        SigV4Verifier v = SigV4Verifier.builder(LOOKUP).clock(Clock.fixed(T.plusSeconds(400), ZoneOffset.UTC))
                .clockSkew("iam", Duration.ofMinutes(5)).build();
        assertThat(fails(v, req(signed()), "us-east-1", "iam").message()).endsWith("- 5 min.)");
        Map<String, List<String>> sts = signed("GET", "/", null, new byte[0], T, "sts", AwsCredentials.of(AKID, SECRET));
        assertThat(v.verify(req(sts), "us-east-1", "sts").service()).isEqualTo("sts");
    }

    @Test
    void credentialScopeMustMatchDateRegionAndService() {
        Map<String, List<String>> h = signed();
        assertThat(fails(with(h, "Authorization", auth(h).replace("/20150830/", "/20150831/"))).message())
                .isEqualTo("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                        + "'20150831' != '20150830', from '20150830T123600Z'.");
        assertThat(fails(verifierAt(T), req(h), "eu-west-1", "iam").message())
                .isEqualTo("Credential should be scoped to a valid region, not 'us-east-1'. ");
        SigV4Error service = fails(verifierAt(T), req(h), "us-east-1", "sts");
        assertThat(service.awsCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(service.message()).isEqualTo("Credential should be scoped to correct service: 'sts'. ");
        assertThat(fails(with(h, "Authorization", auth(h).replace("aws4_request", "aws5_request"))).message())
                .isEqualTo("Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ");
    }

    @Test
    void anyRegionIsAcceptedWhenTheCallerNamesNone() throws SigV4Exception {
        assertThat(verifierAt(T).verify(req(signed()), null, "iam").region()).isEqualTo("us-east-1");
    }

    @Test
    void rfc1123DateHeaderIsAccepted() throws SigV4Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        headers.put("Date", List.of("Sun, 30 Aug 2015 12:36:00 GMT"));
        String canonical = "GET\n/\n\ndate:Sun, 30 Aug 2015 12:36:00 GMT\nhost:example.amazonaws.com\n\n"
                + "date;host\n" + Crypto.EMPTY_SHA256;
        String scope = "20150830/us-east-1/iam/aws4_request";
        String sts = SigV4Verifier.stringToSign("20150830T123600Z", scope, canonical);
        String sig = Crypto.hex(Crypto.hmac(Crypto.deriveSigningKey(SigningSecret.of(SECRET), "20150830",
                "us-east-1", "iam"), sts));
        headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=" + AKID + "/" + scope
                + ", SignedHeaders=date;host, Signature=" + sig));
        VerifiedRequest v = assertVerifies(verifierAt(T), req(headers), "iam");
        assertThat(v.requestTime()).isEqualTo(T);
        assertThat(fails(with(headers, "Date", "yesterday")).awsCode()).isEqualTo("IncompleteSignature");
    }

    @Test
    void contentSha256MustMatchTheBodyAndUnsignedPayloadIsReportedAsUnverified() throws SigV4Exception {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed("PUT", "/bucket/key", null, body, T, "s3", AwsCredentials.of(AKID, SECRET));
        SigV4Request tampered = SigV4Request.of("PUT", "/bucket/key", null, HeaderSource.of(h),
                "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
        SigV4Error e = fails(verifierAt(T), tampered, "us-east-1", "s3");
        assertThat(e.awsCode()).isEqualTo("XAmzContentSHA256Mismatch");

        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        SignedRequest s = SigV4Signer.create().withClock(Clock.fixed(T, ZoneOffset.UTC)).withUnsignedPayload(true)
                .sign(new SigningRequest("PUT", "/k", null, headers, body), AwsCredentials.of(AKID, SECRET),
                        "us-east-1", "execute-api");
        s.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        VerifiedRequest v = verifierAt(T).verify(SigV4Request.of("PUT", "/k", null, HeaderSource.of(headers),
                "anything".getBytes(StandardCharsets.UTF_8)), "us-east-1", "execute-api");
        assertThat(v.payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(v.payloadVerified()).isFalse();
    }

    @Test
    void precomputedPayloadHashIsUsedWhenTheBodyIsNotAvailable() throws SigV4Exception {
        byte[] body = "Action=ListUsers".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed("POST", "/", null, body, T, "iam", AwsCredentials.of(AKID, SECRET));
        VerifiedRequest v = verifierAt(T).verify(SigV4Request.withPayloadHash("POST", "/", null, HeaderSource.of(h),
                Crypto.sha256Hex(body)), "us-east-1", "iam");
        assertThat(v.payloadVerified()).isTrue();
    }

    @Test
    void curlStyleUnsortedQuerySignatureIsAcceptedOnlyWhenTolerated() throws SigV4Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        headers.put("X-Amz-Date", List.of("20150830T123600Z"));
        String canonical = "GET\n/x\nb=1&a=2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\n" + Crypto.EMPTY_SHA256;
        String scope = "20150830/us-east-1/execute-api/aws4_request";
        String sig = Crypto.hex(Crypto.hmac(Crypto.deriveSigningKey(SigningSecret.of(SECRET), "20150830",
                "us-east-1", "execute-api"), SigV4Verifier.stringToSign("20150830T123600Z", scope, canonical)));
        headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=" + AKID + "/" + scope
                + ", SignedHeaders=host;x-amz-date, Signature=" + sig));
        SigV4Request r = SigV4Request.of("GET", "/x", "b=1&a=2", HeaderSource.of(headers), null);

        assertThat(verifierAt(T).verify(r, "us-east-1", "execute-api").canonicalRequest()).isEqualTo(canonical);
        SigV4Verifier strict = SigV4Verifier.builder(LOOKUP).clock(Clock.fixed(T, ZoneOffset.UTC))
                .tolerateCurlCanonicalization(false).build();
        SigV4Error e = fails(strict, r, "us-east-1", "execute-api");
        assertThat(e.canonicalRequest()).contains("\na=2&b=1\n");
    }

    // ------------------------------------------------------------------ presigned

    static String presignedQuery(Instant at, Duration expires) {
        return SigV4Signer.create().withClock(Clock.fixed(at, ZoneOffset.UTC)).presign(
                new SigningRequest("GET", "/file", "a=1", Map.of("Host", List.of("example.amazonaws.com")), null),
                AwsCredentials.of(AKID, SECRET), "us-east-1", "s3", expires).rawQuery();
    }

    static SigV4Request presigned(String query) {
        return SigV4Request.of("GET", "/file", query,
                HeaderSource.of(Map.of("Host", List.of("example.amazonaws.com"))), null);
    }

    @Test
    void presignedUrlVerifiesUntilItExpiresThenIsAccessDenied() throws SigV4Exception {
        String q = presignedQuery(T, Duration.ofSeconds(60));
        assertThat(verifierAt(T.plusSeconds(60)).verify(presigned(q), "us-east-1", "s3").payloadHash())
                .isEqualTo("UNSIGNED-PAYLOAD");
        SigV4Error e = fails(verifierAt(T.plusSeconds(61)), presigned(q), "us-east-1", "s3");
        assertThat(e.awsCode()).isEqualTo("AccessDenied");
        assertThat(e.message()).isEqualTo("Request has expired");
        assertThat(e.httpStatus()).isEqualTo(403);
    }

    @Test
    void presignedUrlFromTheFutureIsNotYetValid() {
        String q = presignedQuery(T.plus(Duration.ofMinutes(16)), Duration.ofSeconds(3600));
        SigV4Error e = fails(verifierAt(T), presigned(q), "us-east-1", "s3");
        assertThat(e.awsCode()).isEqualTo("AccessDenied");
        assertThat(e.message()).isEqualTo("Request is not yet valid");
    }

    @Test
    void presignedExpiresMustBeBetweenOneSecondAndSevenDays() {
        String q = presignedQuery(T, Duration.ofSeconds(60));
        SigV4Error tooLong = fails(verifierAt(T), presigned(q.replace("X-Amz-Expires=60", "X-Amz-Expires=604801")),
                "us-east-1", "s3");
        assertThat(tooLong.awsCode()).isEqualTo("AuthorizationQueryParametersError");
        assertThat(tooLong.message()).isEqualTo("X-Amz-Expires must be less than a week (in seconds) that is 604800");
        for (String bad : List.of("0", "-5", "abc", "99999999999999999999")) {
            assertThat(fails(verifierAt(T), presigned(q.replace("X-Amz-Expires=60", "X-Amz-Expires=" + bad)),
                    "us-east-1", "s3").awsCode()).isEqualTo("AuthorizationQueryParametersError");
        }
    }

    @Test
    void presignedParametersMustBeCompleteUniqueAndUtf8() {
        String q = presignedQuery(T, Duration.ofSeconds(60));
        SigV4Error missing = fails(verifierAt(T), presigned(q.replaceAll("&X-Amz-Signature=[0-9a-f]+", "")),
                "us-east-1", "s3");
        assertThat(missing.awsCode()).isEqualTo("IncompleteSignature");
        assertThat(missing.location()).isEqualTo("X-Amz-Signature");
        assertThat(fails(verifierAt(T), presigned(q + "&X-Amz-Signature=00"), "us-east-1", "s3").message())
                .isEqualTo("Duplicate query parameter 'X-Amz-Signature'.");
        assertThat(fails(verifierAt(T), presigned(q.replace("X-Amz-Credential=AKIDEXAMPLE",
                "X-Amz-Credential=AKID%FF")), "us-east-1", "s3").message()).contains("not valid UTF-8");
        assertThat(fails(verifierAt(T), presigned(q.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256")), "us-east-1", "s3").awsCode())
                .isEqualTo("AuthorizationQueryParametersError");
    }

    @Test
    void headerAndQueryAuthTogetherAreRejected() {
        String q = presignedQuery(T, Duration.ofSeconds(60));
        Map<String, List<String>> h = new LinkedHashMap<>(signed());
        SigV4Error e = fails(verifierAt(T), SigV4Request.of("GET", "/file", q, HeaderSource.of(h), null),
                "us-east-1", "s3");
        assertThat(e.awsCode()).isEqualTo("IncompleteSignature");
    }

    // ------------------------------------------------------------------ limits

    @Test
    void oversizeInputsAreIncompleteSignatureNotExceptions() {
        Map<String, List<String>> h = signed();
        String huge = "x".repeat(SigV4Limits.MAX_HEADER_VALUE_LENGTH + 1);
        assertThat(fails(with(h, "Authorization", auth(h) + huge)).awsCode()).isEqualTo("IncompleteSignature");
        SigV4Request longUri = SigV4Request.of("GET", "/" + "a".repeat(SigV4Limits.MAX_URI_LENGTH), null,
                HeaderSource.of(h), null);
        assertThat(fails(verifierAt(T), longUri, "us-east-1", "iam").awsCode()).isEqualTo("IncompleteSignature");
        String manyParams = "a=1&".repeat(SigV4Limits.MAX_QUERY_PARAMS + 1);
        SigV4Request many = SigV4Request.of("GET", "/", manyParams, HeaderSource.of(h), null);
        assertThat(fails(verifierAt(T), many, "us-east-1", "iam").awsCode()).isEqualTo("IncompleteSignature");
        String manySigned = auth(h).replace("SignedHeaders=host;", "SignedHeaders=host;" + "x;".repeat(300));
        assertThat(fails(with(h, "Authorization", manySigned)).awsCode()).isEqualTo("IncompleteSignature");
    }

    @Test
    void signedHeadersAreBoundedAltogether() {
        Map<String, List<String>> h = new LinkedHashMap<>(signed());
        StringBuilder names = new StringBuilder("host;x-amz-date");
        for (int i = 0; i < 10; i++) {
            h.put("x-big-" + i, List.of("v".repeat(SigV4Limits.MAX_HEADER_VALUE_LENGTH)));
            names.append(";x-big-").append(i);
        }
        SigV4Error e = fails(with(h, "Authorization", auth(h).replace("SignedHeaders=host;x-amz-date",
                "SignedHeaders=" + names)));
        assertThat(e.awsCode()).isEqualTo("IncompleteSignature");
        assertThat(e.location()).isEqualTo("SignedHeaders");
    }

    @Test
    void presignedSessionTokenMayTravelAsAHeader() throws SigV4Exception {
        List<String> seen = new ArrayList<>();
        SigV4Verifier v = SigV4Verifier.builder((id, token) -> {
            seen.add(token);
            return new ResolvedCredential(SigningSecret.of(SECRET), WHO, null);
        }).clock(Clock.fixed(T, ZoneOffset.UTC)).build();
        String q = presignedQuery(T, Duration.ofSeconds(60));
        v.verify(SigV4Request.of("GET", "/file", q, HeaderSource.of(Map.of("Host", List.of("example.amazonaws.com"),
                "X-Amz-Security-Token", List.of("header-token"))), null), "us-east-1", "s3");
        assertThat(seen).containsExactly("header-token");
    }

    @Test
    void secretsNeverPrint() {
        assertThat(SigningSecret.of(SECRET).toString()).doesNotContain(SECRET);
        assertThat(AwsCredentials.of(AKID, SECRET, "tok").toString()).doesNotContain(SECRET);
        assertThat(new ResolvedCredential(SigningSecret.of(SECRET), WHO, null).toString()).doesNotContain(SECRET);
    }

    @Test
    void signingKeyCacheIsBounded() {
        SigningKeyCache cache = new SigningKeyCache(8);
        for (int i = 0; i < 100; i++) {
            cache.signingKey(SigningSecret.of("secret" + i), "20150830", "us-east-1", "iam");
            assertThat(cache.size()).isLessThanOrEqualTo(8);
        }
        byte[] a = cache.signingKey(SigningSecret.of(SECRET), "20150830", "us-east-1", "iam");
        assertThat(cache.signingKey(SigningSecret.of(SECRET), "20150830", "us-east-1", "iam")).isSameAs(a);
        assertThat(a).isEqualTo(Crypto.deriveSigningKey(SigningSecret.of(SECRET), "20150830", "us-east-1", "iam"));
    }

    static VerifiedRequest assertVerifies(SigV4Verifier v, SigV4Request r, String service) throws SigV4Exception {
        return v.verify(r, "us-east-1", service);
    }
}
