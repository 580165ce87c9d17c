package dev.portcullis.core.sigv4;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signs requests with AWS Signature Version 4, as the AWS SDK for Java v2 does: header form
 * ({@link #sign}) and presigned URLs ({@link #presign}). Immutable and thread-safe.
 *
 * <p>Paths are canonicalized per service (double-encoded and dot-segment-normalized for everything but
 * S3); the session token, when present, is signed; for S3 the {@code X-Amz-Content-Sha256} header is added.
 */
public final class SigV4Signer {

    /** Headers the SDKs never sign (proxies rewrite them). */
    private static final Set<String> UNSIGNED_HEADERS =
            Set.of("authorization", "connection", "user-agent", "expect", "x-amzn-trace-id");

    private final Clock clock;
    private final boolean unsignedPayload;
    private final boolean contentSha256Header;

    private SigV4Signer(Clock clock, boolean unsignedPayload, boolean contentSha256Header) {
        this.clock = clock;
        this.unsignedPayload = unsignedPayload;
        this.contentSha256Header = contentSha256Header;
    }

    /** A signer on the system clock that signs payloads. */
    public static SigV4Signer create() {
        return new SigV4Signer(Clock.systemUTC(), false, false);
    }

    /** This signer on another clock (its instant is truncated to seconds). */
    public SigV4Signer withClock(Clock clock) {
        return new SigV4Signer(Objects.requireNonNull(clock, "clock"), unsignedPayload, contentSha256Header);
    }

    /** This signer, signing {@code UNSIGNED-PAYLOAD} (and sending it in {@code X-Amz-Content-Sha256}) instead of the body hash. */
    public SigV4Signer withUnsignedPayload(boolean unsigned) {
        return new SigV4Signer(clock, unsigned, contentSha256Header);
    }

    /**
     * This signer, adding (and signing) {@code X-Amz-Content-Sha256} in the header form for every service,
     * as the AWS SDK for Java v2 does; without it the header is added for S3 (and unsigned payloads) only,
     * as in AWS's documented examples.
     */
    public SigV4Signer withContentSha256Header(boolean add) {
        return new SigV4Signer(clock, unsignedPayload, add);
    }

    /**
     * Signs in the header form.
     *
     * @return the headers to add ({@code X-Amz-Date}, {@code X-Amz-Security-Token}, {@code X-Amz-Content-Sha256},
     *         {@code Authorization}) and the canonical forms
     * @throws IllegalArgumentException when the request has no {@code Host} header
     */
    public SignedRequest sign(SigningRequest request, AwsCredentials credentials, String region, String service) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String amzDate = AmzDate.formatBasic(now);
        String date = amzDate.substring(0, 8);
        TreeMap<String, List<String>> headers = lowercase(request.headers());
        Map<String, String> added = new LinkedHashMap<>();
        added.put("X-Amz-Date", amzDate);
        if (credentials.sessionToken() != null) {
            added.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        String payloadHash = payloadHash(request, service, false);
        if (unsignedPayload || contentSha256Header || Canonical.isS3(service)) {
            added.put("X-Amz-Content-Sha256", payloadHash);
        }
        for (Map.Entry<String, String> e : added.entrySet()) {
            headers.put(e.getKey().toLowerCase(Locale.ROOT), List.of(e.getValue()));
        }
        List<String> signed = signedHeaderNames(headers);
        String canonical = canonicalRequest(request, service, request.rawQuery(), headers, signed, payloadHash);
        String scope = date + '/' + region + '/' + service + '/' + Crypto.TERMINATOR;
        String stringToSign = SigV4Verifier.stringToSign(amzDate, scope, canonical);
        String signature = Crypto.hex(Crypto.hmac(
                Crypto.deriveSigningKey(credentials.secret(), date, region, service), stringToSign));
        added.put("Authorization", Crypto.ALGORITHM + " Credential=" + credentials.accessKeyId() + '/' + scope
                + ", SignedHeaders=" + String.join(";", signed) + ", Signature=" + signature);
        return new SignedRequest(java.util.Collections.unmodifiableMap(added),
                request.rawQuery(), signature, canonical, stringToSign);
    }

    /**
     * Presigns: the returned {@link SignedRequest#rawQuery()} carries {@code X-Amz-Algorithm},
     * {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders},
     * {@code X-Amz-Security-Token} (when present) and {@code X-Amz-Signature}.
     *
     * @param expires between 1 second and 7 days
     */
    public SignedRequest presign(SigningRequest request, AwsCredentials credentials, String region, String service,
                                 Duration expires) {
        long seconds = expires.getSeconds();
        if (seconds < 1 || seconds > SigV4Limits.MAX_PRESIGNED_EXPIRES_SECONDS) {
            throw new IllegalArgumentException("expires must be between 1 and 604800 seconds");
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String amzDate = AmzDate.formatBasic(now);
        String date = amzDate.substring(0, 8);
        TreeMap<String, List<String>> headers = lowercase(request.headers());
        List<String> signed = signedHeaderNames(headers);
        String scope = date + '/' + region + '/' + service + '/' + Crypto.TERMINATOR;
        StringBuilder q = new StringBuilder();
        if (request.rawQuery() != null && !request.rawQuery().isEmpty()) {
            q.append(request.rawQuery()).append('&');
        }
        q.append("X-Amz-Algorithm=").append(Crypto.ALGORITHM)
                .append("&X-Amz-Credential=").append(Canonical.encode(credentials.accessKeyId() + '/' + scope, false))
                .append("&X-Amz-Date=").append(amzDate)
                .append("&X-Amz-Expires=").append(seconds)
                .append("&X-Amz-SignedHeaders=").append(Canonical.encode(String.join(";", signed), false));
        if (credentials.sessionToken() != null) {
            q.append("&X-Amz-Security-Token=").append(Canonical.encode(credentials.sessionToken(), false));
        }
        String payloadHash = payloadHash(request, service, true);
        String canonical = canonicalRequest(request, service, q.toString(), headers, signed, payloadHash);
        String stringToSign = SigV4Verifier.stringToSign(amzDate, scope, canonical);
        String signature = Crypto.hex(Crypto.hmac(
                Crypto.deriveSigningKey(credentials.secret(), date, region, service), stringToSign));
        q.append("&X-Amz-Signature=").append(signature);
        return new SignedRequest(Map.of(), q.toString(), signature, canonical, stringToSign);
    }

    private String payloadHash(SigningRequest request, String service, boolean presign) {
        if (unsignedPayload || (presign && Canonical.isS3(service))) {
            return "UNSIGNED-PAYLOAD";
        }
        return request.body() == null ? Crypto.EMPTY_SHA256 : Crypto.sha256Hex(request.body());
    }

    private static TreeMap<String, List<String>> lowercase(Map<String, List<String>> in) {
        TreeMap<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : in.entrySet()) {
            out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(e.getValue());
        }
        if (!out.containsKey("host")) {
            throw new IllegalArgumentException("the request to sign has no Host header");
        }
        return out;
    }

    private static List<String> signedHeaderNames(TreeMap<String, List<String>> headers) {
        List<String> names = new ArrayList<>();
        for (String name : headers.keySet()) {
            if (!UNSIGNED_HEADERS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static String canonicalRequest(SigningRequest request, String service, String rawQuery,
                                           TreeMap<String, List<String>> headers, List<String> signed,
                                           String payloadHash) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(request.method()).append('\n')
                .append(Canonical.canonicalUri(request.rawPath(), service, true)).append('\n');
        List<Canonical.RawParam> params = Canonical.splitQuery(rawQuery, Integer.MAX_VALUE);
        sb.append(Canonical.canonicalQuery(params, null)).append('\n');
        for (String name : signed) {
            sb.append(name).append(':');
            Canonical.appendHeaderValues(sb, headers.get(name));
            sb.append('\n');
        }
        sb.append('\n').append(String.join(";", signed)).append('\n').append(payloadHash);
        return sb.toString();
    }
}
