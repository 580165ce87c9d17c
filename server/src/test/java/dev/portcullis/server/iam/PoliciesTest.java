package dev.portcullis.server.iam;

import static dev.portcullis.server.iam.IamFixture.ACCOUNT;
import static dev.portcullis.server.iam.IamFixture.OTHER_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.iam.IamFixture.Xml;
import dev.portcullis.state.change.Change;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PoliciesTest extends PerTestIamFixture {

    static final String READ = UsersAndGroupsTest.S3_READ;
    static final String WRITE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::verification-results/*\"}]}";
    static final String ARN = "arn:aws:iam::" + ACCOUNT + ":policy/team/results-access";

    @Test
    void managedPolicyLifecycleWithVersions() {
        Xml created = iam.call("CreatePolicy", "PolicyName", "results-access", "Path", "/team/", "PolicyDocument", READ,
                "Description", "read results");
        assertThat(created.text("//Policy/Arn")).isEqualTo(ARN);
        assertThat(created.text("//Policy/PolicyId")).startsWith("ANPA");
        assertThat(created.text("//Policy/DefaultVersionId")).isEqualTo("v1");
        assertThat(created.text("//Policy/AttachmentCount")).isEqualTo("0");
        assertThat(created.text("//Policy/IsAttachable")).isEqualTo("true");
        assertThat(iam.call("GetPolicy", "PolicyArn", ARN).text("//Policy/Description")).isEqualTo("read results");

        Xml v2 = iam.call("CreatePolicyVersion", "PolicyArn", ARN, "PolicyDocument", WRITE, "SetAsDefault", "true");
        assertThat(v2.text("//PolicyVersion/VersionId")).isEqualTo("v2");
        assertThat(v2.text("//PolicyVersion/IsDefaultVersion")).isEqualTo("true");
        iam.call("CreatePolicyVersion", "PolicyArn", ARN, "PolicyDocument", READ);
        Xml versions = iam.call("ListPolicyVersions", "PolicyArn", ARN);
        assertThat(versions.texts("//Versions/member/VersionId")).containsExactly("v3", "v2", "v1");
        assertThat(versions.texts("//Versions/member/IsDefaultVersion")).containsExactly("false", "true", "false");
        Xml page = iam.call("ListPolicyVersions", "PolicyArn", ARN, "MaxItems", "2");
        assertThat(page.texts("//Versions/member/VersionId")).containsExactly("v3", "v2");
        assertThat(iam.call("ListPolicyVersions", "PolicyArn", ARN, "Marker", page.text("//Marker"))
                .texts("//Versions/member/VersionId")).containsExactly("v1");

        Xml v1 = iam.call("GetPolicyVersion", "PolicyArn", ARN, "VersionId", "v1");
        assertThat(URLDecoder.decode(v1.text("//PolicyVersion/Document"), StandardCharsets.UTF_8)).isEqualTo(READ);
        assertThat(iam.fail("DeletePolicyVersion", "PolicyArn", ARN, "VersionId", "v2").code()).isEqualTo("DeleteConflict");
        iam.call("SetDefaultPolicyVersion", "PolicyArn", ARN, "VersionId", "v1");
        assertThat(iam.call("GetPolicy", "PolicyArn", ARN).text("//DefaultVersionId")).isEqualTo("v1");
        assertThat(iam.fail("DeletePolicy", "PolicyArn", ARN).code()).isEqualTo("DeleteConflict");
        iam.call("DeletePolicyVersion", "PolicyArn", ARN, "VersionId", "v2");
        iam.call("DeletePolicyVersion", "PolicyArn", ARN, "VersionId", "v3");
        assertThat(iam.fail("GetPolicyVersion", "PolicyArn", ARN, "VersionId", "v3").code()).isEqualTo("NoSuchEntity");
        assertThat(iam.fail("GetPolicyVersion", "PolicyArn", ARN, "VersionId", "3").code()).isEqualTo("ValidationError");
        iam.call("DeletePolicy", "PolicyArn", ARN);
        assertThat(iam.fail("GetPolicy", "PolicyArn", ARN)).satisfies(f -> {
            assertThat(f.code()).isEqualTo("NoSuchEntity");
            assertThat(f.message()).isEqualTo("Policy " + ARN + " does not exist or is not attachable.");
        });
    }

    @Test
    void versionQuotaIsFive() {
        iam.call("CreatePolicy", "PolicyName", "results-access", "Path", "/team/", "PolicyDocument", READ);
        for (int i = 0; i < 4; i++) {
            iam.call("CreatePolicyVersion", "PolicyArn", ARN, "PolicyDocument", READ);
        }
        assertThat(iam.fail("CreatePolicyVersion", "PolicyArn", ARN, "PolicyDocument", READ)).satisfies(f -> {
            assertThat(f.code()).isEqualTo("LimitExceeded");
            assertThat(f.status()).isEqualTo(409);
        });
    }

    @Test
    void attachmentsAreListedForEntitiesAndPolicies() {
        iam.call("CreatePolicy", "PolicyName", "results-access", "Path", "/team/", "PolicyDocument", READ);
        iam.call("CreateUser", "UserName", "verifier");
        iam.call("CreateGroup", "GroupName", "ops");
        iam.call("CreateRole", "RoleName", "executor", "AssumeRolePolicyDocument", RolesTest.TRUST);
        iam.call("AttachUserPolicy", "UserName", "verifier", "PolicyArn", ARN);
        iam.call("AttachGroupPolicy", "GroupName", "ops", "PolicyArn", ARN);
        iam.call("AttachRolePolicy", "RoleName", "executor", "PolicyArn", ARN);
        iam.call("AttachRolePolicy", "RoleName", "executor", "PolicyArn", ARN); // twice: no change

        assertThat(iam.call("GetPolicy", "PolicyArn", ARN).text("//AttachmentCount")).isEqualTo("3");
        Xml attached = iam.call("ListAttachedRolePolicies", "RoleName", "executor");
        assertThat(attached.texts("//AttachedPolicies/member/PolicyArn")).containsExactly(ARN);
        assertThat(attached.texts("//AttachedPolicies/member/PolicyName")).containsExactly("results-access");
        assertThat(iam.call("ListAttachedUserPolicies", "UserName", "verifier", "PathPrefix", "/other/")
                .count("//AttachedPolicies/member")).isZero();
        assertThat(iam.call("ListAttachedGroupPolicies", "GroupName", "ops").texts("//PolicyArn")).containsExactly(ARN);

        Xml entities = iam.call("ListEntitiesForPolicy", "PolicyArn", ARN);
        assertThat(entities.texts("//PolicyUsers/member/UserName")).containsExactly("verifier");
        assertThat(entities.texts("//PolicyGroups/member/GroupName")).containsExactly("ops");
        assertThat(entities.texts("//PolicyRoles/member/RoleName")).containsExactly("executor");
        assertThat(entities.text("//PolicyRoles/member/RoleId")).startsWith("AROA");
        Xml roles = iam.call("ListEntitiesForPolicy", "PolicyArn", ARN, "EntityFilter", "Role");
        assertThat(roles.count("//PolicyUsers/member")).isZero();
        assertThat(roles.count("//PolicyRoles/member")).isEqualTo(1);

        assertThat(iam.call("ListPolicies", "Scope", "Local", "OnlyAttached", "true").texts("//Policies/member/PolicyName"))
                .containsExactly("results-access");
        assertThat(iam.call("ListPolicies", "Scope", "AWS").count("//Policies/member")).isZero();
        assertThat(iam.fail("ListPolicies", "Scope", "Mine").code()).isEqualTo("ValidationError");
        iam.call("DetachGroupPolicy", "GroupName", "ops", "PolicyArn", ARN);
        assertThat(iam.fail("DetachGroupPolicy", "GroupName", "ops", "PolicyArn", ARN).code()).isEqualTo("NoSuchEntity");
    }

    @Test
    void attachQuotaIsTenPoliciesPerEntity() {
        iam.call("CreateUser", "UserName", "verifier");
        for (int i = 0; i < 11; i++) {
            iam.call("CreatePolicy", "PolicyName", "p" + i, "PolicyDocument", READ);
        }
        for (int i = 0; i < 10; i++) {
            iam.call("AttachUserPolicy", "UserName", "verifier", "PolicyArn", "arn:aws:iam::" + ACCOUNT + ":policy/p" + i);
        }
        assertThat(iam.fail("AttachUserPolicy", "UserName", "verifier", "PolicyArn",
                "arn:aws:iam::" + ACCOUNT + ":policy/p10").code()).isEqualTo("LimitExceeded");
    }

    @Test
    void policiesOfAnotherAccountDoNotExistForTheCaller() throws Exception {
        iam.state.apply(Change.CreatePolicy.of(OTHER_ACCOUNT, "theirs", "/", READ));
        String theirs = "arn:aws:iam::" + OTHER_ACCOUNT + ":policy/theirs";
        iam.call("CreateUser", "UserName", "verifier");
        assertThat(iam.fail("GetPolicy", "PolicyArn", theirs).code()).isEqualTo("NoSuchEntity");
        assertThat(iam.fail("AttachUserPolicy", "UserName", "verifier", "PolicyArn", theirs).code())
                .isEqualTo("NoSuchEntity");
        assertThat(iam.fail("DeletePolicy", "PolicyArn", theirs).code()).isEqualTo("NoSuchEntity");
        assertThat(iam.fail("GetPolicy", "PolicyArn", "not-an-arn-at-all-really").code()).isEqualTo("InvalidInput");
    }

    @Test
    void inlinePoliciesForUsersGroupsAndRoles() {
        iam.call("CreateUser", "UserName", "verifier");
        iam.call("CreateGroup", "GroupName", "ops");
        iam.call("CreateRole", "RoleName", "executor", "AssumeRolePolicyDocument", RolesTest.TRUST);
        for (String[] e : new String[][] {{"User", "verifier"}, {"Group", "ops"}, {"Role", "executor"}}) {
            String member = e[0] + "Name";
            iam.call("Put" + e[0] + "Policy", member, e[1], "PolicyName", "write", "PolicyDocument", WRITE);
            iam.call("Put" + e[0] + "Policy", member, e[1], "PolicyName", "read", "PolicyDocument", READ);
            Xml list = iam.call("List" + e[0] + "Policies", member, e[1]);
            assertThat(list.texts("//PolicyNames/member")).containsExactly("read", "write");
            Xml got = iam.call("Get" + e[0] + "Policy", member, e[1], "PolicyName", "READ");
            assertThat(got.text("//" + member)).isEqualTo(e[1]);
            assertThat(got.text("//PolicyName")).isEqualTo("read");
            assertThat(URLDecoder.decode(got.text("//PolicyDocument"), StandardCharsets.UTF_8)).isEqualTo(READ);
            iam.call("Delete" + e[0] + "Policy", member, e[1], "PolicyName", "read");
            assertThat(iam.fail("Get" + e[0] + "Policy", member, e[1], "PolicyName", "read").code())
                    .isEqualTo("NoSuchEntity");
            assertThat(iam.fail("Delete" + e[0] + "Policy", member, e[1], "PolicyName", "read").code())
                    .isEqualTo("NoSuchEntity");
            assertThat(iam.fail("Put" + e[0] + "Policy", member, e[1], "PolicyName", "bad", "PolicyDocument",
                    "{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}").code())
                    .isEqualTo("MalformedPolicyDocument");
            assertThat(iam.fail("Put" + e[0] + "Policy", member, e[1], "PolicyName", "bad name",
                    "PolicyDocument", READ).message()).contains("'policyName'");
        }
        assertThat(iam.fail("PutUserPolicy", "UserName", "ghost", "PolicyName", "p", "PolicyDocument", READ).code())
                .isEqualTo("NoSuchEntity");
    }

    @Test
    void createPolicyRefusesTagsItCannotKeep() {
        assertThat(iam.fail("CreatePolicy", "PolicyName", "p", "PolicyDocument", READ, "Tags.member.1.Key", "k",
                "Tags.member.1.Value", "v").code()).isEqualTo("InvalidInput");
        iam.call("CreatePolicy", "PolicyName", "p", "PolicyDocument", READ);
        assertThat(iam.fail("CreatePolicy", "PolicyName", "p", "PolicyDocument", READ).code())
                .isEqualTo("EntityAlreadyExists");
    }
}
