package dev.portcullis.core.sigv4;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Signs with the AWS SDK for Java v2 ({@code AwsV4HttpSigner}), the reference client of our tests. */
final class SdkOracle {

    static final String HOST = "example.amazonaws.com";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** A generated request in the SDK's terms: an encoded path, decoded query parameters, header lines. */
    record Input(String method, String encodedPath, List<Map.Entry<String, String>> query,
                 List<Map.Entry<String, String>> headers, byte[] body, String service, String sessionToken,
                 boolean presign, boolean unsignedPayload) {

        @Override
        public String toString() {
            return method + " " + encodedPath + " query=" + query + " headers=" + headers + " body=" + body.length
                    + "B service=" + service + " token=" + (sessionToken != null) + " presign=" + presign
                    + " unsignedPayload=" + unsignedPayload;
        }
    }

    /** The request as it goes on the wire after the SDK signed it. */
    record Wire(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        SigV4Request toSigV4Request() {
            return SigV4Request.of(method, rawPath, rawQuery, HeaderSource.of(headers), body);
        }
    }

    private SdkOracle() {
    }

    static SdkHttpRequest sdkRequest(Input in) {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().protocol("https").host(HOST)
                .method(SdkHttpMethod.fromValue(in.method())).encodedPath(in.encodedPath());
        for (Map.Entry<String, String> q : in.query()) {
            b.appendRawQueryParameter(q.getKey(), q.getValue());
        }
        for (Map.Entry<String, String> h : in.headers()) {
            b.appendHeader(h.getKey(), h.getValue());
        }
        return b.build();
    }

    static Wire sign(Input in, String accessKey, String secret, String region, Clock clock) {
        AwsCredentialsIdentity identity = in.sessionToken() == null
                ? AwsCredentialsIdentity.create(accessKey, secret)
                : AwsSessionCredentialsIdentity.create(accessKey, secret, in.sessionToken());
        boolean s3 = in.service().equals("s3");
        SignedRequest signed = SIGNER.sign(r -> {
            r.identity(identity).request(sdkRequest(in))
                    .payload(ContentStreamProvider.fromByteArray(in.body()))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, in.service())
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, !s3)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, !s3);
            if (in.presign()) {
                r.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(10));
            }
            if (in.unsignedPayload()) {
                r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
            }
            if (s3 && in.presign()) {
                r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
            }
        });
        SdkHttpRequest out = signed.request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        out.forEachHeader((k, v) -> headers.put(k, new ArrayList<>(v)));
        if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("host"))) {
            headers.put("Host", new ArrayList<>(List.of(HOST)));
        }
        String query = SdkHttpUtils.encodeAndFlattenQueryParameters(out.rawQueryParameters()).orElse(null);
        return new Wire(out.method().name(), out.encodedPath(), query, headers, in.body());
    }
}
