package dev.portcullis.state;

import dev.portcullis.state.keyring.Keyring;
import java.nio.file.Path;
import java.time.Duration;

/** Shared documents and configurations for the state tests. */
public final class Fixtures {
    public static final String ACCOUNT = "123456789012";
    public static final String TRUST_EC2 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    public static final String READ_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],
             "Resource":"arn:aws:s3:::reports/*"}]}""";
    public static final String API_RESOURCE_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Principal":{"AWS":"arn:aws:iam::123456789012:role/verification"},"Action":"execute-api:Invoke",
             "Resource":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*"}]}""";
    public static final String DENY_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}""";

    private Fixtures() {
    }

    public static StateConfig sqlite(Path dir, Keyring keyring) {
        return StateConfig.sqlite(dir).withKeyring(keyring).withPollInterval(Duration.ofMillis(200));
    }
}
