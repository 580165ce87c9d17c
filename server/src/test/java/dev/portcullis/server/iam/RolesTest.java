package dev.portcullis.server.iam;

import static dev.portcullis.server.iam.IamFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.iam.IamFixture.Xml;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RolesTest extends PerTestIamFixture {

    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"agents.example.internal\"},\"Action\":\"sts:AssumeRole\","
            + "\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"" + ACCOUNT + "\"}}}]}";
    static final String TRUST_USER = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}}";

    @Test
    void createsRoleWithEveryOptionAndReturnsTheTrustPolicyUrlEncoded() {
        Xml created = iam.call("CreateRole", "RoleName", "agent-planner", "Path", "/agents/",
                "AssumeRolePolicyDocument", TRUST, "Description", "plans work", "MaxSessionDuration", "7200",
                "Tags.member.1.Key", "agent", "Tags.member.1.Value", "planner");
        assertThat(created.text("//Role/Arn")).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/agents/agent-planner");
        assertThat(created.text("//Role/RoleId")).startsWith("AROA");
        assertThat(created.text("//Role/Description")).isEqualTo("plans work");
        assertThat(created.text("//Role/MaxSessionDuration")).isEqualTo("7200");
        assertThat(created.text("//Role/Tags/member/Value")).isEqualTo("planner");
        String encoded = created.text("//Role/AssumeRolePolicyDocument");
        assertThat(encoded).startsWith("%7B%22Version%22").doesNotContain("+").doesNotContain("{");
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(TRUST);

        Xml got = iam.call("GetRole", "RoleName", "agent-planner");
        assertThat(got.text("//Role/RoleName")).isEqualTo("agent-planner");
        assertThat(got.count("//Role/RoleLastUsed")).isEqualTo(1);
        Xml list = iam.call("ListRoles");
        assertThat(list.texts("//Roles/member/RoleName")).containsExactly("agent-planner");
        assertThat(list.count("//Roles/member/Tags")).isZero();
        assertThat(list.text("//Roles/member/MaxSessionDuration")).isEqualTo("7200");
    }

    @Test
    void documentsWithSpacesAreEncodedWithPercentTwenty() {
        assertThat(IamXml.encodeDocument("{\"a\": \"b*c~d+e\"}")).isEqualTo("%7B%22a%22%3A%20%22b%2Ac~d%2Be%22%7D");
    }

    @Test
    void updatesDescriptionSessionDurationAndTrustPolicy() {
        iam.call("CreateRole", "RoleName", "executor", "AssumeRolePolicyDocument", TRUST);
        assertThat(iam.call("GetRole", "RoleName", "executor").text("//MaxSessionDuration")).isEqualTo("3600");
        iam.call("UpdateRole", "RoleName", "executor", "MaxSessionDuration", "43200", "Description", "runs jobs");
        Xml updated = iam.call("UpdateRoleDescription", "RoleName", "executor", "Description", "runs verified jobs");
        assertThat(updated.text("//Role/Description")).isEqualTo("runs verified jobs");
        assertThat(updated.text("//Role/MaxSessionDuration")).isEqualTo("43200");
        iam.call("UpdateAssumeRolePolicy", "RoleName", "executor", "PolicyDocument", TRUST_USER);
        assertThat(URLDecoder.decode(iam.call("GetRole", "RoleName", "executor").text("//AssumeRolePolicyDocument"),
                StandardCharsets.UTF_8)).isEqualTo(TRUST_USER);
        assertThat(iam.fail("UpdateRole", "RoleName", "executor", "MaxSessionDuration", "3599").message())
                .isEqualTo("1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy "
                        + "constraint: Member must have value greater than or equal to 3600");
        assertThat(iam.fail("UpdateRole", "RoleName", "executor", "MaxSessionDuration", "43201").message())
                .contains("less than or equal to 43200");
    }

    @Test
    void rejectsMalformedTrustPolicies() {
        assertThat(iam.fail("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", "{not json").code())
                .isEqualTo("MalformedPolicyDocument");
        String noPrincipal = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}]}";
        assertThat(iam.fail("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", noPrincipal)).satisfies(f -> {
            assertThat(f.code()).isEqualTo("MalformedPolicyDocument");
            assertThat(f.status()).isEqualTo(400);
        });
        assertThat(iam.fail("CreateRole", "RoleName", "r").message()).contains("'assumeRolePolicyDocument'");
        iam.call("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", TRUST);
        assertThat(iam.fail("UpdateAssumeRolePolicy", "RoleName", "r", "PolicyDocument", "[]").code())
                .isEqualTo("MalformedPolicyDocument");
        assertThat(iam.fail("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", TRUST).code())
                .isEqualTo("EntityAlreadyExists");
    }

    @Test
    void tagsBoundariesAndDeletionOfRoles() {
        iam.call("CreateRole", "RoleName", "executor", "AssumeRolePolicyDocument", TRUST);
        iam.call("TagRole", "RoleName", "executor", "Tags.member.1.Key", "b", "Tags.member.1.Value", "2",
                "Tags.member.2.Key", "a", "Tags.member.2.Value", "1");
        assertThat(iam.call("ListRoleTags", "RoleName", "executor").texts("//Tags/member/Key")).containsExactly("a", "b");
        Xml page = iam.call("ListRoleTags", "RoleName", "executor", "MaxItems", "1");
        assertThat(page.texts("//Tags/member/Key")).containsExactly("a");
        assertThat(page.text("//IsTruncated")).isEqualTo("true");
        iam.call("UntagRole", "RoleName", "executor", "TagKeys.member.1", "a");
        assertThat(iam.call("ListRoleTags", "RoleName", "executor").texts("//Tags/member/Key")).containsExactly("b");

        iam.call("CreatePolicy", "PolicyName", "agent-boundary", "PolicyDocument", UsersAndGroupsTest.S3_READ);
        String boundary = "arn:aws:iam::" + ACCOUNT + ":policy/agent-boundary";
        iam.call("PutRolePermissionsBoundary", "RoleName", "executor", "PermissionsBoundary", boundary);
        assertThat(iam.call("GetRole", "RoleName", "executor").text("//PermissionsBoundaryArn")).isEqualTo(boundary);
        iam.call("DeleteRolePermissionsBoundary", "RoleName", "executor");
        assertThat(iam.call("GetRole", "RoleName", "executor").count("//PermissionsBoundary")).isZero();

        iam.call("AttachRolePolicy", "RoleName", "executor", "PolicyArn", boundary);
        assertThat(iam.fail("DeleteRole", "RoleName", "executor").code()).isEqualTo("DeleteConflict");
        iam.call("DetachRolePolicy", "RoleName", "executor", "PolicyArn", boundary);
        iam.call("PutRolePolicy", "RoleName", "executor", "PolicyName", "inline", "PolicyDocument",
                UsersAndGroupsTest.S3_READ);
        assertThat(iam.fail("DeleteRole", "RoleName", "executor").code()).isEqualTo("DeleteConflict");
        iam.call("DeleteRolePolicy", "RoleName", "executor", "PolicyName", "inline");
        iam.call("DeleteRole", "RoleName", "executor");
        assertThat(iam.fail("GetRole", "RoleName", "executor").message())
                .isEqualTo("The role with name executor cannot be found.");
    }

    @Test
    void tagQuotaIsEnforced() {
        iam.call("CreateRole", "RoleName", "executor", "AssumeRolePolicyDocument", TRUST);
        String[] pairs = new String[2 + 51 * 4];
        pairs[0] = "RoleName";
        pairs[1] = "executor";
        for (int i = 0; i < 51; i++) {
            pairs[2 + i * 4] = "Tags.member." + (i + 1) + ".Key";
            pairs[3 + i * 4] = "k" + i;
            pairs[4 + i * 4] = "Tags.member." + (i + 1) + ".Value";
            pairs[5 + i * 4] = "v";
        }
        assertThat(iam.fail("TagRole", pairs).code()).isEqualTo("LimitExceeded");
    }
}
