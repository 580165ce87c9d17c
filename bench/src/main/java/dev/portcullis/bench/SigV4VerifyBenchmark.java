package dev.portcullis.bench;

import dev.portcullis.core.sigv4.AwsCredentials;
import dev.portcullis.core.sigv4.HeaderSource;
import dev.portcullis.core.sigv4.PrincipalIdentity;
import dev.portcullis.core.sigv4.ResolvedCredential;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.core.sigv4.SigV4Request;
import dev.portcullis.core.sigv4.SigV4Signer;
import dev.portcullis.core.sigv4.SigV4Verifier;
import dev.portcullis.core.sigv4.SignedRequest;
import dev.portcullis.core.sigv4.SigningRequest;
import dev.portcullis.core.sigv4.SigningSecret;
import dev.portcullis.core.sigv4.VerifiedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying one header-signed request (the gateway's hot path): with the signing key cached, with a
 * 0-byte and a 1 KiB body, and without the cache (four extra HMACs to derive the key). {@code cryptoFloor}
 * is the unavoidable work for comparison: SHA-256 of the canonical request, one HMAC-SHA256 over the
 * string to sign, hex encoding and a constant-time compare.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SigV4VerifyBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigV4VerifyBenchmark {

    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant NOW = Instant.parse("2026-03-14T15:09:26Z");

    SigV4Verifier cached;
    SigV4Verifier uncached;
    SigV4Request empty;
    SigV4Request kib;

    byte[] floorKey;
    String floorCanonical;
    String floorPrefix;
    String floorSignature;

    @Setup
    public void setUp() throws Exception {
        PrincipalIdentity who = new PrincipalIdentity("arn:aws:iam::123456789012:role/verification", "123456789012",
                "AROAVERIFICATION:bench");
        ResolvedCredential credential = new ResolvedCredential(SigningSecret.of(SECRET), who, null);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        cached = SigV4Verifier.builder((id, token) -> id.equals(AKID) ? credential : null).clock(clock).build();
        uncached = SigV4Verifier.builder((id, token) -> id.equals(AKID) ? credential : null).clock(clock)
                .signingKeyCacheSize(0).build();
        empty = signed("GET", new byte[0], clock);
        byte[] body = new byte[1024];
        Arrays.fill(body, (byte) 'x');
        kib = signed("POST", body, clock);

        VerifiedRequest v = cached.verify(empty, "eu-west-3", "execute-api");
        floorCanonical = v.canonicalRequest();
        floorPrefix = v.stringToSign().substring(0, v.stringToSign().lastIndexOf('\n') + 1);
        floorKey = derive(SECRET, "20260314", "eu-west-3", "execute-api");
        floorSignature = hex(hmac(floorKey, v.stringToSign().getBytes(StandardCharsets.UTF_8)));
    }

    static SigV4Request signed(String method, byte[] body, Clock clock) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("api.example.internal"));
        headers.put("Content-Type", List.of("application/json"));
        headers.put("User-Agent", List.of("aws-sdk-java/2.29.52 Linux/6.1 OpenJDK_64-Bit_Server_VM/17"));
        SignedRequest s = SigV4Signer.create().withClock(clock).sign(
                new SigningRequest(method, "/prod/jobs/42", "mode=async", headers, body),
                AwsCredentials.of(AKID, SECRET), "eu-west-3", "execute-api");
        Map<String, List<String>> all = new LinkedHashMap<>(headers);
        s.headers().forEach((k, val) -> all.put(k, new ArrayList<>(List.of(val))));
        return SigV4Request.of(method, "/prod/jobs/42", "mode=async", HeaderSource.of(all), body);
    }

    @Benchmark
    public VerifiedRequest verifyCachedKey0B() throws SigV4Exception {
        return cached.verify(empty, "eu-west-3", "execute-api");
    }

    @Benchmark
    public VerifiedRequest verifyCachedKey1KiB() throws SigV4Exception {
        return cached.verify(kib, "eu-west-3", "execute-api");
    }

    @Benchmark
    public VerifiedRequest verifyUncachedKey0B() throws SigV4Exception {
        return uncached.verify(empty, "eu-west-3", "execute-api");
    }

    @Benchmark
    public boolean cryptoFloor() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        String sts = floorPrefix + hex(md.digest(floorCanonical.getBytes(StandardCharsets.UTF_8)));
        String sig = hex(hmac(floorKey, sts.getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(sig.getBytes(StandardCharsets.US_ASCII),
                floorSignature.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] derive(String secret, String date, String region, String service) throws Exception {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date.getBytes(StandardCharsets.UTF_8));
        k = hmac(k, region.getBytes(StandardCharsets.UTF_8));
        k = hmac(k, service.getBytes(StandardCharsets.UTF_8));
        return hmac(k, "aws4_request".getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
