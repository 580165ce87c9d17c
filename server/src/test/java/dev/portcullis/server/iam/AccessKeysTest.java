package dev.portcullis.server.iam;

import static dev.portcullis.server.iam.IamFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.server.iam.IamFixture.Xml;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.state.change.Change;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessKeysTest extends PerTestIamFixture {

    @BeforeEach
    void createUser() {
        iam.call("CreateUser", "UserName", "verifier", "Path", "/svc/");
    }

    @Test
    void createReturnsTheSecretOnceAndListingNeverShowsIt() {
        Xml created = iam.call("CreateAccessKey", "UserName", "verifier");
        String id = created.text("//AccessKey/AccessKeyId");
        String secret = created.text("//AccessKey/SecretAccessKey");
        assertThat(id).startsWith("AKIA").hasSize(20);
        assertThat(secret).hasSize(40);
        assertThat(created.text("//AccessKey/Status")).isEqualTo("Active");
        assertThat(created.text("//AccessKey/UserName")).isEqualTo("verifier");
        assertThat(iam.state.view().accessKey(id).orElseThrow().secret().revealAsString()).isEqualTo(secret);

        Xml list = iam.call("ListAccessKeys", "UserName", "verifier");
        assertThat(list.texts("//AccessKeyMetadata/member/AccessKeyId")).containsExactly(id);
        assertThat(list.raw).doesNotContain(secret).doesNotContain("SecretAccessKey");

        iam.call("UpdateAccessKey", "UserName", "verifier", "AccessKeyId", id, "Status", "Inactive");
        assertThat(iam.call("ListAccessKeys", "UserName", "verifier").text("//Status")).isEqualTo("Inactive");
        assertThat(iam.fail("UpdateAccessKey", "UserName", "verifier", "AccessKeyId", id, "Status", "Paused").code())
                .isEqualTo("ValidationError");
        iam.call("DeleteAccessKey", "UserName", "verifier", "AccessKeyId", id);
        assertThat(iam.call("ListAccessKeys", "UserName", "verifier").count("//AccessKeyMetadata/member")).isZero();
        assertThat(iam.fail("DeleteAccessKey", "UserName", "verifier", "AccessKeyId", id).code()).isEqualTo("NoSuchEntity");
    }

    @Test
    void aUserManagesItsOwnKeysWithoutNamingItself() {
        iam.caller = iam.userCaller("verifier");
        assertThat(iam.resolve("CreateAccessKey").resource()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/svc/verifier");
        String id = iam.call("CreateAccessKey").text("//AccessKeyId");
        assertThat(iam.call("ListAccessKeys").texts("//AccessKeyId")).containsExactly(id);
        iam.call("DeleteAccessKey", "AccessKeyId", id);
    }

    @Test
    void theRootUserManagesItsOwnKeysWithoutAUserName() {
        iam.caller = IamFixture.root(ACCOUNT);
        assertThat(iam.resolve("CreateAccessKey").resource()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
        Xml created = iam.call("CreateAccessKey");
        String id = created.text("//AccessKey/AccessKeyId");
        assertThat(created.count("//AccessKey/UserName")).isZero();
        assertThat(iam.state.view().accessKey(id).orElseThrow().key().ownerArn())
                .isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
        String userKey = iam.call("CreateAccessKey", "UserName", "verifier").text("//AccessKeyId");

        Xml listed = iam.call("ListAccessKeys");
        assertThat(listed.texts("//AccessKeyMetadata/member/AccessKeyId")).contains(id).doesNotContain(userKey);
        assertThat(listed.count("//AccessKeyMetadata/member/UserName")).isZero();

        iam.call("UpdateAccessKey", "AccessKeyId", id, "Status", "Inactive");
        assertThat(iam.state.view().accessKey(id).orElseThrow().key().status().name()).isEqualTo("Inactive");
        assertThat(iam.fail("DeleteAccessKey", "AccessKeyId", userKey).code()).isEqualTo("NoSuchEntity");
        iam.call("DeleteAccessKey", "AccessKeyId", id);
        assertThat(iam.state.view().accessKey(id)).isEmpty();
        assertThat(iam.state.view().accessKey(userKey)).isPresent();
    }

    @Test
    void roleSessionsMustNameTheUser() {
        iam.caller = new Caller(RequestPrincipal.assumedRole("arn:aws:iam::" + ACCOUNT + ":role/r", "AROAEXAMPLEEXAMPLE01",
                "s", Map.of()), "ASIAEXAMPLE", Optional.empty(), Optional.empty());
        assertThat(iam.fail("CreateAccessKey").message()).isEqualTo("Must specify userName when calling with non-User credentials");
        assertThat(iam.fail("GetUser").code()).isEqualTo("ValidationError");
        assertThat(iam.call("ListAccessKeys", "UserName", "verifier").count("//member")).isZero();
    }

    @Test
    void quotaIsTwoKeysPerUser() {
        iam.call("CreateAccessKey", "UserName", "verifier");
        iam.call("CreateAccessKey", "UserName", "verifier");
        assertThat(iam.fail("CreateAccessKey", "UserName", "verifier")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("LimitExceeded");
            assertThat(f.status()).isEqualTo(409);
        });
        assertThat(iam.fail("CreateAccessKey", "UserName", "nobody").code()).isEqualTo("NoSuchEntity");
    }

    @Test
    void lastUsedReportsNotApplicableUntilUsed() throws Exception {
        String id = iam.call("CreateAccessKey", "UserName", "verifier").text("//AccessKeyId");
        Xml never = iam.call("GetAccessKeyLastUsed", "AccessKeyId", id);
        assertThat(never.text("//UserName")).isEqualTo("verifier");
        assertThat(never.text("//AccessKeyLastUsed/ServiceName")).isEqualTo("N/A");
        assertThat(never.text("//AccessKeyLastUsed/Region")).isEqualTo("N/A");
        assertThat(never.count("//LastUsedDate")).isZero();
        assertThat(iam.resolve("GetAccessKeyLastUsed", "AccessKeyId", id).resource())
                .isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/svc/verifier");

        iam.state.apply(new Change.RecordAccessKeyLastUsed(id, Instant.parse("2026-11-23T10:00:00Z"), "sts", "us-east-1"));
        Xml used = iam.call("GetAccessKeyLastUsed", "AccessKeyId", id);
        assertThat(used.text("//LastUsedDate")).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(used.text("//ServiceName")).isEqualTo("sts");
        assertThat(iam.fail("GetAccessKeyLastUsed", "AccessKeyId", "AKIAUNKNOWNUNKNOWN01").code()).isEqualTo("NoSuchEntity");
        assertThat(iam.fail("GetAccessKeyLastUsed", "AccessKeyId", "short").code()).isEqualTo("ValidationError");
    }
}
