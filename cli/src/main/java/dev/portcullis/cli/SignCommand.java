package dev.portcullis.cli;

import dev.portcullis.core.sigv4.AwsCredentials;
import dev.portcullis.core.sigv4.SigV4Signer;
import dev.portcullis.core.sigv4.SignedRequest;
import dev.portcullis.core.sigv4.SigningRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis sign}: SigV4-signs a request and prints the headers, the raw request or a presigned URL. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Signs a request with AWS Signature Version 4.",
            "Prints the headers to add (default), the whole raw HTTP request (--raw, which 'portcullis verify' "
                + "reads), or a presigned URL (--presign).",
            "Credentials come from the flags or from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
                + "AWS_SESSION_TOKEN."})
final class SignCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The URL, e.g. https://api.example.internal/prod/jobs?mode=async")
    String url;

    @Option(names = {"-X", "--method"}, defaultValue = "GET", description = "HTTP method (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = {"-d", "--data"}, description = "The request body, as text.")
    String data;

    @Option(names = "--data-file", paramLabel = "FILE", description = "Read the request body from FILE.")
    Path dataFile;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "An extra header to send and sign (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--region", required = true, description = "The region of the credential scope, e.g. us-east-1.")
    String region;

    @Option(names = "--service", required = true, description = "The service of the credential scope, e.g. execute-api, iam, sts, s3.")
    String service;

    @Option(names = "--access-key", defaultValue = "${env:AWS_ACCESS_KEY_ID}", description = "Access key id (default: $AWS_ACCESS_KEY_ID).")
    String accessKey;

    @Option(names = "--secret-key", defaultValue = "${env:AWS_SECRET_ACCESS_KEY}", description = "Secret access key (default: $AWS_SECRET_ACCESS_KEY).")
    String secretKey;

    @Option(names = "--session-token", defaultValue = "${env:AWS_SESSION_TOKEN}", description = "Session token (default: $AWS_SESSION_TOKEN).")
    String sessionToken;

    @Option(names = "--presign", description = "Print a presigned URL instead of headers.")
    boolean presign;

    @Option(names = "--expires", defaultValue = "900", description = "Presigned URL lifetime in seconds, 1..604800 (default: ${DEFAULT-VALUE}).")
    long expires;

    @Option(names = "--raw", description = "Print the whole signed HTTP request (request line, headers, body).")
    boolean raw;

    @Option(names = "--unsigned-payload", description = "Sign UNSIGNED-PAYLOAD instead of the body hash.")
    boolean unsignedPayload;

    @Option(names = "--date", paramLabel = "YYYYMMDDTHHMMSSZ", description = "Sign as of this time instead of now (for reproducible examples).")
    String date;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            err.println("portcullis sign: no credentials: pass --access-key/--secret-key or set AWS_ACCESS_KEY_ID "
                    + "and AWS_SECRET_ACCESS_KEY");
            return 2;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            err.println("portcullis sign: not a URL: " + e.getMessage());
            return 2;
        }
        if (uri.getHost() == null) {
            err.println("portcullis sign: the URL needs a host: " + url);
            return 2;
        }
        byte[] body;
        try {
            body = dataFile != null ? Files.readAllBytes(dataFile)
                    : data != null ? data.getBytes(StandardCharsets.UTF_8) : new byte[0];
        } catch (IOException e) {
            err.println("portcullis sign: cannot read " + dataFile + ": " + e.getMessage());
            return 2;
        }
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        Map<String, List<String>> toSign = new LinkedHashMap<>();
        toSign.put("Host", new ArrayList<>(List.of(host)));
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                err.println("portcullis sign: a header must look like 'Name: value', not '" + h + "'");
                return 2;
            }
            toSign.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
        }
        SigV4Signer signer = SigV4Signer.create().withUnsignedPayload(unsignedPayload);
        if (date != null) {
            java.time.Instant at = Dates.parse(date);
            if (at == null) {
                err.println("portcullis sign: --date must look like 20150830T123600Z or 2015-08-30T12:36:00Z");
                return 2;
            }
            signer = signer.withClock(Clock.fixed(at, ZoneOffset.UTC));
        }
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        AwsCredentials credentials = new AwsCredentials(accessKey, dev.portcullis.core.sigv4.SigningSecret.of(secretKey),
                sessionToken == null || sessionToken.isBlank() ? null : sessionToken);
        SigningRequest request = new SigningRequest(method, rawPath, uri.getRawQuery(), toSign,
                body.length == 0 && data == null && dataFile == null ? null : body);
        SignedRequest signed;
        try {
            signed = presign
                    ? signer.presign(request, credentials, region, service, Duration.ofSeconds(expires))
                    : signer.sign(request, credentials, region, service);
        } catch (IllegalArgumentException e) {
            err.println("portcullis sign: " + e.getMessage());
            return 2;
        }
        String target = rawPath + (signed.rawQuery() == null || signed.rawQuery().isEmpty() ? "" : "?" + signed.rawQuery());
        if (raw) {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            toSign.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append("\r\n")));
            signed.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            if (body.length > 0) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("\r\n");
            out.print(sb);
            String text = utf8(body);
            if (text != null) {
                out.print(text);
                out.flush();
            } else {
                // not text: the body goes to stdout byte for byte
                out.flush();
                try {
                    System.out.write(body);
                    System.out.flush();
                } catch (IOException e) {
                    err.println("portcullis sign: " + e.getMessage());
                    return 2;
                }
            }
            return 0;
        }
        if (presign) {
            out.println(uri.getScheme() + "://" + uri.getRawAuthority() + target);
        } else {
            signed.headers().forEach((k, v) -> out.println(k + ": " + v));
        }
        out.flush();
        return 0;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
