package dev.portcullis.cli;

import dev.portcullis.core.sigv4.CredentialLookup;
import dev.portcullis.core.sigv4.PrincipalIdentity;
import dev.portcullis.core.sigv4.RawHttpRequest;
import dev.portcullis.core.sigv4.ResolvedCredential;
import dev.portcullis.core.sigv4.SigV4Error;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.core.sigv4.SigV4Verifier;
import dev.portcullis.core.sigv4.SigningSecret;
import dev.portcullis.core.sigv4.VerifiedRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis verify}: checks the SigV4 signature of a raw HTTP request. Exit 0 when valid, 1 when not. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verifies the AWS Signature Version 4 of a raw HTTP request read from FILE or stdin.",
            "Prints the verdict, the canonical request and the string to sign; exits 0 when valid, 1 when not, "
                + "2 on usage errors.",
            "The credentials to check against come from the flags or from AWS_ACCESS_KEY_ID, "
                + "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN."})
final class VerifyCommand implements Callable<Integer> {

    private static final Pattern HEADER_SCOPE = Pattern.compile("Credential=[^/,]+/\\d{8}/([^/,]+)/([^/,]+)/");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The raw request; '-' or absent: stdin.")
    String file;

    @Option(names = "--region", description = "The region this endpoint serves (default: any).")
    String region;

    @Option(names = "--service", description = "The service this endpoint serves (default: the one in the credential scope).")
    String service;

    @Option(names = "--access-key", defaultValue = "${env:AWS_ACCESS_KEY_ID}", description = "Access key id (default: $AWS_ACCESS_KEY_ID).")
    String accessKey;

    @Option(names = "--secret-key", defaultValue = "${env:AWS_SECRET_ACCESS_KEY}", description = "Secret access key (default: $AWS_SECRET_ACCESS_KEY).")
    String secretKey;

    @Option(names = "--session-token", defaultValue = "${env:AWS_SESSION_TOKEN}", description = "Session token the request must carry (default: $AWS_SESSION_TOKEN).")
    String sessionToken;

    @Option(names = "--now", paramLabel = "TIME", description = "Check dates against this time instead of now, e.g. 20150830T123600Z.")
    String now;

    @Option(names = "--clock-skew", defaultValue = "15", description = "Allowed clock skew in minutes (default: ${DEFAULT-VALUE}).")
    long clockSkewMinutes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            err.println("portcullis verify: no credentials: pass --access-key/--secret-key or set AWS_ACCESS_KEY_ID "
                    + "and AWS_SECRET_ACCESS_KEY");
            return 2;
        }
        RawHttpRequest raw;
        dev.portcullis.core.sigv4.SigV4Request request;
        try {
            byte[] bytes = file == null || file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            raw = RawHttpRequest.parse(bytes);
            request = raw.toSigV4Request();
        } catch (IOException e) {
            err.println("portcullis verify: cannot read " + (file == null ? "stdin" : file) + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("portcullis verify: not an HTTP request: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        if (now != null) {
            Instant at = Dates.parse(now);
            if (at == null) {
                err.println("portcullis verify: --now must look like 20150830T123600Z or 2015-08-30T12:36:00Z");
                return 2;
            }
            clock = Clock.fixed(at, ZoneOffset.UTC);
        }
        String svc = service != null ? service : scopeService(raw);
        if (svc == null) {
            svc = "execute-api";
        }
        String expectedToken = sessionToken == null || sessionToken.isBlank() ? null : sessionToken;
        PrincipalIdentity principal = new PrincipalIdentity("arn:aws:iam::000000000000:user/" + accessKey,
                "000000000000", accessKey);
        CredentialLookup lookup = (id, token) -> {
            if (!id.equals(accessKey)) {
                return null;
            }
            if (expectedToken != null && (token == null || !MessageDigest.isEqual(
                    expectedToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)))) {
                throw CredentialLookup.invalidClientTokenId();
            }
            return new ResolvedCredential(SigningSecret.of(secretKey), principal, null);
        };
        SigV4Verifier verifier = SigV4Verifier.builder(lookup).clock(clock)
                .clockSkew(Duration.ofMinutes(clockSkewMinutes)).build();
        try {
            VerifiedRequest v = verifier.verify(request, region, svc);
            out.println("VALID: signed by " + v.accessKeyId() + " for " + v.region() + "/" + v.service() + " at "
                    + v.requestTime() + " (" + v.form().name().toLowerCase(java.util.Locale.ROOT) + " form"
                    + (v.expiresAt() != null ? ", expires " + v.expiresAt() : "")
                    + (v.sessionToken() != null ? ", with session token" : "")
                    + (v.payloadVerified() ? "" : ", payload not covered: " + v.payloadHash()) + ")");
            printCanonical(out, v.canonicalRequest(), v.stringToSign());
            out.flush();
            return 0;
        } catch (SigV4Exception e) {
            SigV4Error error = e.error();
            out.println("INVALID: " + error.awsCode() + " (HTTP " + error.httpStatus() + "): " + error.message()
                    + (error.location() != null ? " [" + error.location() + "]" : ""));
            if (error.canonicalRequest() != null) {
                printCanonical(out, error.canonicalRequest(), error.stringToSign());
            }
            out.flush();
            return 1;
        }
    }

    private static void printCanonical(PrintWriter out, String canonicalRequest, String stringToSign) {
        out.println();
        out.println("Canonical request:");
        out.println(canonicalRequest);
        out.println();
        out.println("String to sign:");
        out.println(stringToSign);
    }

    /** The service named in the request's credential scope, so --service can usually be left out. */
    private static String scopeService(RawHttpRequest raw) {
        for (Map.Entry<String, List<String>> h : raw.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("authorization") && !h.getValue().isEmpty()) {
                Matcher m = HEADER_SCOPE.matcher(h.getValue().get(0));
                if (m.find()) {
                    return m.group(2);
                }
            }
        }
        if (raw.rawQuery() != null) {
            for (String p : raw.rawQuery().split("&")) {
                if (p.startsWith("X-Amz-Credential=")) {
                    String[] parts = URLDecoder.decode(p.substring(17), StandardCharsets.UTF_8).split("/");
                    return parts.length == 5 ? parts[3] : null;
                }
            }
        }
        return null;
    }
}
