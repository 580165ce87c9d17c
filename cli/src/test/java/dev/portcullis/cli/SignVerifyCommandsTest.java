package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SignVerifyCommandsTest {

    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cmd = Portcullis.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void signedRawRequestVerifiesAndATamperedOneDoesNot(@TempDir Path dir) throws Exception {
        Run signed = run("sign", "--raw", "--region", "eu-west-3", "--service", "execute-api", "-X", "POST",
                "--data", "{\"job\":\"demo\"}", "-H", "Content-Type: application/json", "--access-key", AKID,
                "--secret-key", SECRET, "--session-token", "FwoGZXIvYXdzEXAMPLE",
                "https://api.example.internal/prod/jobs?mode=async");
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(signed.out()).startsWith("POST /prod/jobs?mode=async HTTP/1.1\r\nHost: api.example.internal\r\n")
                .contains("X-Amz-Security-Token: FwoGZXIvYXdzEXAMPLE\r\n").endsWith("\r\n\r\n{\"job\":\"demo\"}");
        Path file = dir.resolve("request.http");
        Files.writeString(file, signed.out(), StandardCharsets.UTF_8);

        Run ok = run("verify", "--region", "eu-west-3", "--access-key", AKID, "--secret-key", SECRET,
                "--session-token", "FwoGZXIvYXdzEXAMPLE", file.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).startsWith("VALID: signed by AKIAIOSFODNN7EXAMPLE for eu-west-3/execute-api")
                .contains("Canonical request:\nPOST\n/prod/jobs\nmode=async\ncontent-type:application/json\n");

        Files.writeString(file, signed.out().replace("demo", "DEMO"), StandardCharsets.UTF_8);
        Run bad = run("verify", "--region", "eu-west-3", "--access-key", AKID, "--secret-key", SECRET,
                "--session-token", "FwoGZXIvYXdzEXAMPLE", file.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).startsWith("INVALID: SignatureDoesNotMatch (HTTP 403)").contains("Canonical request:");

        Files.writeString(file, signed.out(), StandardCharsets.UTF_8);
        Run otherToken = run("verify", "--access-key", AKID, "--secret-key", SECRET, "--session-token", "other",
                file.toString());
        assertThat(otherToken.exit()).isEqualTo(1);
        assertThat(otherToken.out()).startsWith("INVALID: InvalidClientTokenId (HTTP 403): The security token "
                + "included in the request is invalid.");
    }

    @Test
    void printsHeadersAndPresignedUrlsLikeAwsDocuments() {
        Run url = run("sign", "--presign", "--region", "us-east-1", "--service", "s3", "--expires", "86400",
                "--date", "20130524T000000Z", "--access-key", AKID, "--secret-key", SECRET,
                "https://examplebucket.s3.amazonaws.com/test.txt");
        assertThat(url.exit()).isZero();
        assertThat(url.out().trim()).isEqualTo("https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm="
                + "AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
                + "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");

        Run headers = run("sign", "--region", "us-east-1", "--service", "iam", "--date", "20150830T123600Z",
                "-H", "Content-Type: application/x-www-form-urlencoded; charset=utf-8", "--access-key", "AKIDEXAMPLE",
                "--secret-key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
        assertThat(headers.out()).isEqualTo("X-Amz-Date: 20150830T123600Z\nAuthorization: AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;"
                + "x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\n");
    }

    @Test
    void verifyChecksTheClockUnlessTold(@TempDir Path dir) throws Exception {
        Run signed = run("sign", "--raw", "--region", "us-east-1", "--service", "sts", "--date", "20150830T123600Z",
                "--access-key", AKID, "--secret-key", SECRET, "https://sts.amazonaws.com/?Action=GetCallerIdentity");
        Path file = dir.resolve("old.http");
        Files.writeString(file, signed.out(), StandardCharsets.UTF_8);
        Run late = run("verify", "--access-key", AKID, "--secret-key", SECRET, file.toString());
        assertThat(late.exit()).isEqualTo(1);
        assertThat(late.out()).startsWith("INVALID: RequestExpired (HTTP 403): Signature expired: 20150830T123600Z "
                + "is now earlier than");
        Run then = run("verify", "--access-key", AKID, "--secret-key", SECRET, "--now", "20150830T124000Z",
                file.toString());
        assertThat(then.exit()).isZero();
        assertThat(then.out()).startsWith("VALID: signed by AKIAIOSFODNN7EXAMPLE for us-east-1/sts");
    }

    @Test
    void usageErrorsExitWithTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("garbage.http");
        Files.writeString(file, "garbage\n", StandardCharsets.UTF_8);
        assertThat(run("verify", "--access-key", AKID, "--secret-key", SECRET, file.toString()).exit()).isEqualTo(2);
        assertThat(run("sign", "--region", "r", "--service", "s", "--access-key", AKID, "--secret-key", SECRET,
                "-H", "no-colon", "https://h/").exit()).isEqualTo(2);
    }
}
