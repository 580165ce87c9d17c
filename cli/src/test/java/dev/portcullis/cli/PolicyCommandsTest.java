package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Portcullis.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void validateAcceptsAValidPolicyWithExitZero() throws IOException {
        Path p = file("read.json", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}");
        assertThat(run("policy", "validate", p.toString())).isZero();
        assertThat(out.toString()).contains("valid MANAGED policy");
    }

    @Test
    void validateReportsEveryErrorWithAwsWordingAndLocation() throws IOException {
        Path p = file("bad.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"GetObject\",\"Resource\":\"*\"}]}");
        assertThat(run("policy", "validate", p.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("MalformedPolicyDocument: Policy statement must contain actions. (at /Statement/0/Action)")
                .contains("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (at /Statement/1/Action/0)");
    }

    @Test
    void validateChecksTrustPolicyRulesWithKind() throws IOException {
        Path p = file("trust.json", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}}");
        assertThat(run("policy", "validate", "--kind", "TRUST", "--json", p.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("\"message\" : \"Missing required field Principal.\"");
    }

    @Test
    void simulateExplainsAnAllowWithTheDecisiveStatement() throws IOException {
        Path p = file("s3-read.json", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"ReadReports\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"}}");
        int code = run("policy", "simulate", "--identity", p.toString(), "--principal", "arn:aws:iam::111122223333:user/alice",
                "--action", "s3:GetObject", "--resource", "arn:aws:s3:::reports/q1.csv");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Decision: allowed").contains("s3-read.json/ReadReports");
    }

    @Test
    void simulateReportsMissingContextValuesAsJson() throws IOException {
        Path trust = file("trust.json", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"Agent\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"bedrock.amazonaws.com\"},\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"}}}}");
        int code = run("policy", "simulate", "--trust-policy", trust.toString(), "--service-principal", "bedrock.amazonaws.com",
                "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::111122223333:role/agent", "--json");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("\"evalDecision\" : \"implicitDeny\"").contains("aws:sourceaccount");
    }

    @Test
    void simulateAllowsTheServiceWithTheConfusedDeputyGuardSatisfied() throws IOException {
        Path trust = file("trust.json", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"Agent\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"bedrock.amazonaws.com\"},\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"}}}}");
        int code = run("policy", "simulate", "--trust-policy", trust.toString(), "--service-principal", "bedrock.amazonaws.com",
                "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::111122223333:role/agent",
                "--context", "aws:SourceAccount=111122223333");
        assertThat(code).as(out.toString()).isZero();
    }

    @Test
    void simulateRejectsAnInvalidPolicyFileWithExitTwo() throws IOException {
        Path p = file("bad.json", "{");
        assertThat(run("policy", "simulate", "--identity", p.toString(), "--action", "s3:GetObject")).isEqualTo(2);
        assertThat(err.toString()).contains("Syntax errors in policy.");
    }
}
