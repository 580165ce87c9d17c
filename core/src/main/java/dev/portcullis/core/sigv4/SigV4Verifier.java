package dev.portcullis.core.sigv4;

import static dev.portcullis.core.sigv4.SigV4ErrorCode.ACCESS_DENIED;
import static dev.portcullis.core.sigv4.SigV4ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
import static dev.portcullis.core.sigv4.SigV4ErrorCode.CONTENT_SHA256_MISMATCH;
import static dev.portcullis.core.sigv4.SigV4ErrorCode.INCOMPLETE_SIGNATURE;
import static dev.portcullis.core.sigv4.SigV4ErrorCode.MISSING_AUTHENTICATION_TOKEN;
import static dev.portcullis.core.sigv4.SigV4ErrorCode.REQUEST_EXPIRED;
import static dev.portcullis.core.sigv4.SigV4ErrorCode.SIGNATURE_DOES_NOT_MATCH;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies AWS Signature Version 4 — header form and presigned (query) form — and returns who signed.
 *
 * <p>The caller is responsible for: adapting its HTTP request into a {@link SigV4Request} (raw path and
 * query as received, headers as a case-insensitive view, the body or its hash), naming the region and
 * service it serves, and a {@link CredentialLookup}. Every failure is a {@link SigV4Exception} carrying
 * AWS's code and message; no input makes this class throw an unchecked exception.
 *
 * <p>Thread-safe; build one per service and share it. Signing keys are cached per
 * (secret, date, region, service) in a bounded map.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">Create a signed AWS API request</a>
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html">Authenticating requests: using query parameters</a>
 */
public final class SigV4Verifier {

    /** The clock-skew window AWS applies by default. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(15);
    /** Default bound on cached signing keys. */
    public static final int DEFAULT_SIGNING_KEY_CACHE_SIZE = 4096;

    static final String SIGNATURE_MISMATCH_MESSAGE = "The request signature we calculated does not match the "
            + "signature you provided. Check your AWS Secret Access Key and signing method. "
            + "Consult the service documentation for details.";

    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String Q_ALGORITHM = "X-Amz-Algorithm";
    private static final String Q_CREDENTIAL = "X-Amz-Credential";
    private static final String Q_DATE = "X-Amz-Date";
    private static final String Q_EXPIRES = "X-Amz-Expires";
    private static final String Q_SIGNED_HEADERS = "X-Amz-SignedHeaders";
    private static final String Q_SIGNATURE = "X-Amz-Signature";
    private static final String Q_TOKEN = "X-Amz-Security-Token";

    private final CredentialLookup lookup;
    private final Clock clock;
    private final Duration defaultSkew;
    private final Map<String, Duration> skewByService;
    private final SigningKeyCache cache;
    private final boolean tolerateUnsortedQueryAndRawPath;
    private final SigV4ErrorCode unknownKeyCode;

    private SigV4Verifier(Builder b) {
        this.unknownKeyCode = b.unknownKeyCode;
        this.tolerateUnsortedQueryAndRawPath = b.tolerateCurl;
        this.lookup = b.lookup;
        this.clock = b.clock;
        this.defaultSkew = b.defaultSkew;
        this.skewByService = Map.copyOf(b.skewByService);
        this.cache = new SigningKeyCache(b.cacheSize);
    }

    /** A builder for a verifier that resolves access keys with {@code lookup}. */
    public static Builder builder(CredentialLookup lookup) {
        return new Builder(lookup);
    }

    /**
     * Verifies a request.
     *
     * @param request the request view
     * @param region  the region this endpoint serves (the credential scope must name it), or {@code null} to accept any
     * @param service the service this endpoint serves, e.g. {@code iam}, {@code sts}, {@code execute-api}, {@code s3};
     *                it also selects the URI-encoding rules (S3 signs the path as sent)
     * @return the verified request: who signed, when, which headers
     * @throws SigV4Exception when the request is not validly signed, with AWS's code and message (a
     *         {@link SigV4Exception} thrown by the {@link CredentialLookup} passes through unchanged; the
     *         lookup's own bugs, as unchecked exceptions, are not masked)
     */
    public VerifiedRequest verify(SigV4Request request, String region, String service) throws SigV4Exception {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(service, "service");
        String rawQuery = request.rawQuery() == null ? "" : request.rawQuery();
        if (request.rawPath().length() + rawQuery.length() > SigV4Limits.MAX_URI_LENGTH) {
            throw incomplete("The request URI is longer than " + SigV4Limits.MAX_URI_LENGTH + " characters.", "URI");
        }
        List<Canonical.RawParam> params = Canonical.splitQuery(rawQuery, SigV4Limits.MAX_QUERY_PARAMS);
        if (params == null) {
            throw incomplete("The request has more than " + SigV4Limits.MAX_QUERY_PARAMS + " query parameters.",
                    "QueryString");
        }
        List<String> authorization = headerValues(request.headers(), "authorization");
        boolean queryForm = hasParam(params, Q_ALGORITHM);
        if (!authorization.isEmpty() && queryForm) {
            throw incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the "
                    + "Authorization header should be specified", "Authorization");
        }
        if (authorization.isEmpty() && !queryForm) {
            throw SigV4Exception.of(MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token", null);
        }
        Parsed p = queryForm ? parseQuery(params) : parseHeader(authorization, request.headers());
        if (queryForm && p.sessionToken == null) {
            // some clients send the token of a presigned request as a header
            List<String> token = headerValues(request.headers(), "x-amz-security-token");
            if (token.size() > 1) {
                throw incomplete("Duplicate header 'x-amz-security-token'.", "X-Amz-Security-Token");
            }
            p.sessionToken = token.isEmpty() ? null : token.get(0).trim();
        }
        checkScope(p, region, service);
        checkTime(p, service);

        ResolvedCredential credential = lookup.lookup(p.accessKeyId, p.sessionToken);
        if (credential == null) {
            throw unknownKeyCode == SigV4ErrorCode.UNRECOGNIZED_CLIENT ? CredentialLookup.unrecognizedClient()
                    : CredentialLookup.invalidClientTokenId();
        }

        String payloadHash;
        boolean payloadVerified;
        List<String> contentSha = headerValues(request.headers(), "x-amz-content-sha256");
        if (contentSha.size() > 1) {
            throw incomplete("Duplicate header 'x-amz-content-sha256'.", "X-Amz-Content-Sha256");
        }
        if (!contentSha.isEmpty()) {
            payloadHash = contentSha.get(0).trim();
            if (payloadHash.equals(UNSIGNED_PAYLOAD) || payloadHash.startsWith("STREAMING-")) {
                payloadVerified = false;
            } else if (Crypto.isLowerHexSha256(payloadHash)) {
                String actual = request.body() != null ? Crypto.sha256Hex(request.body()) : request.payloadHash();
                if (actual != null && !actual.equals(payloadHash)) {
                    throw SigV4Exception.of(CONTENT_SHA256_MISMATCH,
                            "The provided 'x-amz-content-sha256' header does not match what was computed.",
                            "X-Amz-Content-Sha256");
                }
                payloadVerified = actual != null;
            } else {
                throw incomplete("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-…, or a valid sha256 "
                        + "value.", "X-Amz-Content-Sha256");
            }
        } else if (p.form == VerifiedRequest.Form.QUERY && Canonical.isS3(service)) {
            payloadHash = UNSIGNED_PAYLOAD;
            payloadVerified = false;
        } else if (request.body() != null) {
            payloadHash = Crypto.sha256Hex(request.body());
            payloadVerified = true;
        } else if (request.payloadHash() != null) {
            payloadHash = request.payloadHash();
            payloadVerified = true;
        } else {
            payloadHash = Crypto.EMPTY_SHA256;
            payloadVerified = false;
        }

        StringBuilder headerBlock = new StringBuilder(192);
        for (String name : p.signedHeaders) {
            List<String> values = headerValues(request.headers(), name);
            headerBlock.append(name).append(':');
            Canonical.appendHeaderValues(headerBlock, values);
            headerBlock.append('\n');
            if (headerBlock.length() > SigV4Limits.MAX_CANONICAL_HEADERS_LENGTH) {
                throw incomplete("The signed headers are longer than " + SigV4Limits.MAX_CANONICAL_HEADERS_LENGTH
                        + " characters.", "SignedHeaders");
            }
        }
        String tail = headerBlock.append('\n').append(p.signedHeadersString).append('\n').append(payloadHash)
                .toString();
        String scope = p.date + '/' + p.region + '/' + p.service + '/' + Crypto.TERMINATOR;
        byte[] signingKey = cache.signingKey(credential.secret(), p.date, p.region, p.service);
        String rawPath = request.rawPath();
        String method = request.method();
        boolean query = p.form == VerifiedRequest.Form.QUERY;

        String uri = Canonical.canonicalUri(rawPath, service, true);
        String canonicalQuery = Canonical.canonicalQuery(params, query ? Q_SIGNATURE : null);
        String canonical = canonicalRequest(method, uri, canonicalQuery, tail);
        String stringToSign = stringToSign(p.amzDate, scope, canonical);
        boolean ok = Crypto.constantTimeEquals(Crypto.hex(Crypto.hmac(signingKey, stringToSign)), p.signature);
        if (!ok) {
            // Forms other clients compute, tried only after the documented one failed. Each is a function of
            // the request as received, so a signature still binds every signed part.
            for (String[] candidate : alternatives(rawPath, rawQuery, uri, canonicalQuery, service, query)) {
                String alt = canonicalRequest(method, candidate[0], candidate[1], tail);
                String altSts = stringToSign(p.amzDate, scope, alt);
                if (Crypto.constantTimeEquals(Crypto.hex(Crypto.hmac(signingKey, altSts)), p.signature)) {
                    ok = true;
                    canonical = alt;
                    stringToSign = altSts;
                    break;
                }
            }
        }
        if (!ok) {
            throw new SigV4Exception(new SigV4Error(SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH_MESSAGE,
                    query ? Q_SIGNATURE : "Authorization", canonical, stringToSign));
        }
        return new VerifiedRequest(p.accessKeyId, credential.principal(), credential.session(), p.sessionToken,
                p.form, p.requestTime, p.expiresAt, p.region, p.service, p.signedHeaders, payloadHash,
                payloadVerified, canonical, stringToSign);
    }

    /**
     * Alternative (canonical URI, canonical query) pairs: the path with empty segments kept (clients that do
     * not collapse "//"), and — when tolerated — the path and query exactly as received, which is what
     * curl before 8.x signs ({@code curl --aws-sigv4} neither sorts the query nor double-encodes the path).
     */
    private List<String[]> alternatives(String rawPath, String rawQuery, String uri, String canonicalQuery,
                                        String service, boolean queryForm) {
        List<String[]> out = new ArrayList<>(4);
        boolean s3 = Canonical.isS3(service);
        if (!s3 && Canonical.hasEmptySegments(rawPath)) {
            out.add(new String[] {Canonical.canonicalUri(rawPath, service, false), canonicalQuery});
        }
        if (tolerateUnsortedQueryAndRawPath && !queryForm) {
            String path = rawPath.isEmpty() ? "/" : rawPath;
            boolean pathDiffers = !path.equals(uri);
            if (pathDiffers) {
                out.add(new String[] {path, canonicalQuery});
            }
            if (!rawQuery.equals(canonicalQuery)) {
                out.add(new String[] {uri, rawQuery});
                if (pathDiffers) {
                    out.add(new String[] {path, rawQuery});
                }
            }
        }
        return out;
    }

    private static String canonicalRequest(String method, String uri, String query, String tail) {
        return new StringBuilder(method.length() + uri.length() + query.length() + tail.length() + 3)
                .append(method).append('\n').append(uri).append('\n').append(query).append('\n').append(tail)
                .toString();
    }

    /** The clock-skew window applied to {@code service}. */
    public Duration clockSkew(String service) {
        return skewByService.getOrDefault(service, defaultSkew);
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return Crypto.ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + Crypto.sha256Hex(canonicalRequest);
    }

    // ---------------------------------------------------------------- parsing

    /** What the Authorization header or the X-Amz-* query parameters say. */
    private static final class Parsed {
        VerifiedRequest.Form form;
        String accessKeyId;
        String date;
        String region;
        String service;
        String terminator;
        List<String> signedHeaders;
        String signedHeadersString;
        String signature;
        String amzDate;
        Instant requestTime;
        Instant expiresAt;
        long expiresSeconds;
        String sessionToken;
    }

    private static Parsed parseHeader(List<String> authorization, HeaderSource headers) throws SigV4Exception {
        if (authorization.size() > 1) {
            throw incomplete("Multiple Authorization headers.", "Authorization");
        }
        String auth = authorization.get(0).trim();
        int sp = indexOfWhitespace(auth);
        String algorithm = sp < 0 ? auth : auth.substring(0, sp);
        if (!algorithm.equals(Crypto.ALGORITHM)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + truncate(algorithm) + "'. Only "
                    + Crypto.ALGORITHM + " is supported.", "Authorization");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        String rest = sp < 0 ? "" : auth.substring(sp + 1);
        for (String part : rest.split(",", -1)) {
            String kv = part.trim();
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq < 0) {
                throw incomplete("'" + truncate(kv) + "' not a valid key=value pair (missing equal-sign) in "
                        + "Authorization header: '" + truncate(auth) + "'.", "Authorization");
            }
            String key = kv.substring(0, eq).trim();
            String value = kv.substring(eq + 1).trim();
            switch (key) {
                case "Credential" -> credential = once(credential, value, key);
                case "SignedHeaders" -> signedHeaders = once(signedHeaders, value, key);
                case "Signature" -> signature = once(signature, value, key);
                default -> {
                    // AWS ignores unknown components.
                }
            }
        }
        List<String> xAmzDate = headerValues(headers, "x-amz-date");
        List<String> date = xAmzDate.isEmpty() ? headerValues(headers, "date") : List.of();
        if (xAmzDate.size() > 1 || date.size() > 1) {
            throw incomplete("Duplicate date header.", xAmzDate.size() > 1 ? "X-Amz-Date" : "Date");
        }
        StringBuilder missing = new StringBuilder();
        List<String> where = new ArrayList<>();
        if (credential == null || credential.isEmpty()) {
            missing.append("Authorization header requires 'Credential' parameter. ");
            where.add("Credential");
        }
        if (signature == null || signature.isEmpty()) {
            missing.append("Authorization header requires 'Signature' parameter. ");
            where.add("Signature");
        }
        if (signedHeaders == null || signedHeaders.isEmpty()) {
            missing.append("Authorization header requires 'SignedHeaders' parameter. ");
            where.add("SignedHeaders");
        }
        if (xAmzDate.isEmpty() && date.isEmpty()) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
            where.add("X-Amz-Date");
        }
        if (missing.length() > 0) {
            missing.append("Authorization=").append(truncate(auth));
            throw incomplete(missing.toString(), "Authorization." + String.join(",", where));
        }
        Parsed p = new Parsed();
        p.form = VerifiedRequest.Form.HEADER;
        p.signature = signature;
        if (!xAmzDate.isEmpty()) {
            p.amzDate = xAmzDate.get(0).trim();
            p.requestTime = AmzDate.parseBasic(p.amzDate);
            if (p.requestTime == null) {
                throw badDate(p.amzDate, "X-Amz-Date");
            }
        } else {
            p.requestTime = AmzDate.parseRfc1123(date.get(0));
            if (p.requestTime == null) {
                throw incomplete("Date must be in RFC 1123 format (e.g. 'Sun, 30 Aug 2015 12:36:00 GMT'). Got '"
                        + truncate(date.get(0)) + "'.", "Date");
            }
            p.amzDate = AmzDate.formatBasic(p.requestTime);
        }
        parseCredential(p, credential, "Authorization");
        parseSignedHeaders(p, signedHeaders, "Authorization");
        List<String> token = headerValues(headers, "x-amz-security-token");
        if (token.size() > 1) {
            throw incomplete("Duplicate header 'x-amz-security-token'.", "X-Amz-Security-Token");
        }
        p.sessionToken = token.isEmpty() ? null : token.get(0).trim();
        return p;
    }

    private static Parsed parseQuery(List<Canonical.RawParam> params) throws SigV4Exception {
        Map<String, String> auth = new HashMap<>();
        for (Canonical.RawParam rp : params) {
            String name = rp.rawName().indexOf('%') < 0 ? rp.rawName() : Canonical.decodeStrict(rp.rawName());
            if (name == null || !name.startsWith("X-Amz-")) {
                continue;
            }
            switch (name) {
                case Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_EXPIRES, Q_SIGNED_HEADERS, Q_SIGNATURE, Q_TOKEN -> {
                    String value = Canonical.decodeStrict(rp.rawValue());
                    if (value == null) {
                        throw incomplete("Query parameter '" + name + "' is not valid UTF-8.", name);
                    }
                    if (auth.put(name, value) != null) {
                        throw incomplete("Duplicate query parameter '" + name + "'.", name);
                    }
                }
                default -> {
                    // other X-Amz-* parameters are ordinary, signed parameters
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of(Q_ALGORITHM, Q_CREDENTIAL, Q_SIGNATURE, Q_DATE, Q_SIGNED_HEADERS, Q_EXPIRES)) {
            String v = auth.get(required);
            if (v == null || v.isEmpty()) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw incomplete("AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                    + "'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. "
                    + "Re-examine the query-string parameters.", String.join(",", missing));
        }
        if (!auth.get(Q_ALGORITHM).equals(Crypto.ALGORITHM)) {
            throw SigV4Exception.of(AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Algorithm only supports \"" + Crypto.ALGORITHM + "\"", Q_ALGORITHM);
        }
        Parsed p = new Parsed();
        p.form = VerifiedRequest.Form.QUERY;
        p.signature = auth.get(Q_SIGNATURE);
        p.amzDate = auth.get(Q_DATE);
        p.requestTime = AmzDate.parseBasic(p.amzDate);
        if (p.requestTime == null) {
            throw badDate(p.amzDate, Q_DATE);
        }
        String expires = auth.get(Q_EXPIRES);
        long seconds = -1;
        if (expires.length() <= 9 && expires.chars().allMatch(c -> c >= '0' && c <= '9')) {
            seconds = Long.parseLong(expires);
        }
        if (seconds > SigV4Limits.MAX_PRESIGNED_EXPIRES_SECONDS) {
            throw SigV4Exception.of(AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires must be less than a week (in seconds) that is 604800", Q_EXPIRES);
        }
        if (seconds < 1) {
            throw SigV4Exception.of(AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires should be a number between 1 and 604800", Q_EXPIRES);
        }
        p.expiresSeconds = seconds;
        p.expiresAt = p.requestTime.plusSeconds(seconds);
        parseCredential(p, auth.get(Q_CREDENTIAL), Q_CREDENTIAL);
        parseSignedHeaders(p, auth.get(Q_SIGNED_HEADERS), Q_SIGNED_HEADERS);
        p.sessionToken = auth.get(Q_TOKEN);
        return p;
    }

    private static void parseCredential(Parsed p, String credential, String location) throws SigV4Exception {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()
                || parts[3].isEmpty() || credential.length() > 1024) {
            throw incomplete("Credential should be of the form <access-key-id>/<date>/<region>/<service>/"
                    + "aws4_request, not '" + truncate(credential) + "'.", location);
        }
        p.accessKeyId = parts[0];
        p.date = parts[1];
        p.region = parts[2];
        p.service = parts[3];
        p.terminator = parts[4];
    }

    private static void parseSignedHeaders(Parsed p, String signedHeaders, String location) throws SigV4Exception {
        if (signedHeaders.length() > SigV4Limits.MAX_HEADER_VALUE_LENGTH) {
            throw incomplete("SignedHeaders is too long.", location);
        }
        String[] names = signedHeaders.split(";", -1);
        if (names.length > SigV4Limits.MAX_HEADERS) {
            throw incomplete("More than " + SigV4Limits.MAX_HEADERS + " signed headers.", location);
        }
        List<String> list = new ArrayList<>(names.length);
        boolean host = false;
        for (String n : names) {
            // Taken verbatim: the canonical request uses the names as signed (lower case, per AWS), so a
            // name whose case was changed no longer matches the signature.
            String name = n.trim();
            if (name.isEmpty()) {
                throw incomplete("SignedHeaders contains an empty header name: '" + truncate(signedHeaders) + "'.",
                        location);
            }
            if (list.contains(name)) {
                throw incomplete("SignedHeaders names '" + truncate(name) + "' twice.", location);
            }
            host |= name.equals("host") || name.equals(":authority");
            list.add(name);
        }
        if (!host) {
            throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", location);
        }
        p.signedHeaders = List.copyOf(list);
        // The canonical request carries the list exactly as the client declared it: a list that is not
        // already lower-case (x-amZ-date) must not verify as if it were, or two different Authorization
        // headers would share one signature.
        p.signedHeadersString = signedHeaders;
    }

    // ---------------------------------------------------------------- checks

    private static void checkScope(Parsed p, String region, String service) throws SigV4Exception {
        String where = p.form == VerifiedRequest.Form.QUERY ? Q_CREDENTIAL : "Authorization";
        if (!p.terminator.equals(Crypto.TERMINATOR)) {
            throw SigV4Exception.of(SIGNATURE_DOES_NOT_MATCH, "Credential should be scoped with a valid terminator: "
                    + "'aws4_request', not '" + truncate(p.terminator) + "'. ", where);
        }
        String day = p.amzDate.substring(0, 8);
        if (!p.date.equals(day)) {
            throw SigV4Exception.of(SIGNATURE_DOES_NOT_MATCH, "Date in Credential scope does not match YYYYMMDD from "
                    + "ISO-8601 version of date from HTTP: '" + truncate(p.date) + "' != '" + day + "', from '"
                    + p.amzDate + "'.", where);
        }
        if (region != null && !p.region.equals(region)) {
            throw SigV4Exception.of(SIGNATURE_DOES_NOT_MATCH, "Credential should be scoped to a valid region, not '"
                    + truncate(p.region) + "'. ", where);
        }
        if (!p.service.equals(service)) {
            throw SigV4Exception.of(SIGNATURE_DOES_NOT_MATCH, "Credential should be scoped to correct service: '"
                    + service + "'. ", where);
        }
    }

    private void checkTime(Parsed p, String service) throws SigV4Exception {
        Instant now = clock.instant();
        Duration skew = clockSkew(service);
        if (p.form == VerifiedRequest.Form.QUERY) {
            if (p.requestTime.isAfter(now.plus(skew))) {
                throw SigV4Exception.of(ACCESS_DENIED, "Request is not yet valid", Q_DATE);
            }
            if (now.isAfter(p.expiresAt)) {
                throw SigV4Exception.of(ACCESS_DENIED, "Request has expired", Q_EXPIRES);
            }
            return;
        }
        long minutes = skew.toMinutes();
        if (p.requestTime.isBefore(now.minus(skew))) {
            throw SigV4Exception.of(REQUEST_EXPIRED, "Signature expired: " + p.amzDate + " is now earlier than "
                    + AmzDate.formatBasic(now.minus(skew)) + " (" + AmzDate.formatBasic(now) + " - " + minutes
                    + " min.)", "X-Amz-Date");
        }
        if (p.requestTime.isAfter(now.plus(skew))) {
            throw SigV4Exception.of(REQUEST_EXPIRED, "Signature not yet current: " + p.amzDate
                    + " is still later than " + AmzDate.formatBasic(now.plus(skew)) + " (" + AmzDate.formatBasic(now)
                    + " + " + minutes + " min.)", "X-Amz-Date");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> headerValues(HeaderSource headers, String name) throws SigV4Exception {
        List<String> values = headers.values(name);
        if (values == null) {
            return List.of();
        }
        if (values.size() > SigV4Limits.MAX_HEADERS) {
            throw incomplete("Header '" + truncate(name) + "' is repeated more than " + SigV4Limits.MAX_HEADERS
                    + " times.", name);
        }
        for (String v : values) {
            if (v == null) {
                throw incomplete("Header '" + truncate(name) + "' has no value.", name);
            }
            if (v.length() > SigV4Limits.MAX_HEADER_VALUE_LENGTH) {
                throw incomplete("Header '" + truncate(name) + "' is longer than "
                        + SigV4Limits.MAX_HEADER_VALUE_LENGTH + " characters.", name);
            }
        }
        return values;
    }

    private static boolean hasParam(List<Canonical.RawParam> params, String name) {
        for (Canonical.RawParam p : params) {
            if (p.rawName().equals(name) || (p.rawName().indexOf('%') >= 0
                    && name.equals(Canonical.decodeStrict(p.rawName())))) {
                return true;
            }
        }
        return false;
    }

    private static String once(String previous, String value, String key) throws SigV4Exception {
        if (previous != null) {
            throw incomplete("Authorization header has more than one '" + key + "' parameter.", "Authorization");
        }
        return value;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Canonical.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static SigV4Exception badDate(String value, String location) {
        return incomplete("Date must be in ISO-8601 'basic format'. Got '" + truncate(value)
                + "'. See http://en.wikipedia.org/wiki/ISO_8601", location);
    }

    private static SigV4Exception incomplete(String message, String location) {
        return SigV4Exception.of(INCOMPLETE_SIGNATURE, message, location);
    }

    /** Echoed request text is bounded so an error never carries a huge header. */
    private static String truncate(String s) {
        return s.length() <= 256 ? s : s.substring(0, 256) + "…";
    }

    /** Builds a {@link SigV4Verifier}. */
    public static final class Builder {
        private final CredentialLookup lookup;
        private Clock clock = Clock.systemUTC();
        private Duration defaultSkew = DEFAULT_CLOCK_SKEW;
        private final Map<String, Duration> skewByService = new HashMap<>();
        private int cacheSize = DEFAULT_SIGNING_KEY_CACHE_SIZE;
        private boolean tolerateCurl = true;
        private SigV4ErrorCode unknownKeyCode = SigV4ErrorCode.INVALID_CLIENT_TOKEN_ID;

        private Builder(CredentialLookup lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
        }

        /** The clock to check dates against (tests inject a fixed one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The clock-skew window for every service without its own (default 15 minutes). */
        public Builder clockSkew(Duration skew) {
            this.defaultSkew = positive(skew);
            return this;
        }

        /** The clock-skew window for one service (AWS uses 5 minutes for some). */
        public Builder clockSkew(String service, Duration skew) {
            skewByService.put(Objects.requireNonNull(service, "service"), positive(skew));
            return this;
        }

        /** Most signing keys kept; 0 disables the cache. */
        public Builder signingKeyCacheSize(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("cache size must be >= 0");
            }
            this.cacheSize = entries;
            return this;
        }

        /**
         * Whether to also accept header-form signatures computed over the path and query exactly as received
         * (unsorted query, path not double-encoded), as {@code curl --aws-sigv4} before 8.x computes them.
         * On by default, since curl is a reference client; AWS itself rejects such requests.
         */
        public Builder tolerateCurlCanonicalization(boolean tolerate) {
            this.tolerateCurl = tolerate;
            return this;
        }

        /**
         * The code for an unknown access key id: {@link SigV4ErrorCode#INVALID_CLIENT_TOKEN_ID} (IAM, STS: the
         * default) or {@link SigV4ErrorCode#UNRECOGNIZED_CLIENT} (JSON services such as DynamoDB, Lambda).
         */
        public Builder unknownAccessKeyCode(SigV4ErrorCode code) {
            if (code != SigV4ErrorCode.INVALID_CLIENT_TOKEN_ID && code != SigV4ErrorCode.UNRECOGNIZED_CLIENT) {
                throw new IllegalArgumentException("unknown keys are InvalidClientTokenId or UnrecognizedClientException");
            }
            this.unknownKeyCode = code;
            return this;
        }

        public SigV4Verifier build() {
            return new SigV4Verifier(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("skew must be a non-negative duration");
            }
            return d;
        }
    }
}
