package dev.portcullis.server.iam;

import static dev.portcullis.server.iam.IamFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.iam.IamFixture.Xml;
import org.junit.jupiter.api.Test;

class AccountTest extends PerTestIamFixture {

    @Test
    void accountAliasLifecycle() {
        assertThat(iam.call("ListAccountAliases").count("//AccountAliases/member")).isZero();
        iam.call("CreateAccountAlias", "AccountAlias", "layer-auth-dev");
        assertThat(iam.call("ListAccountAliases").texts("//AccountAliases/member")).containsExactly("layer-auth-dev");
        assertThat(iam.fail("CreateAccountAlias", "AccountAlias", "Bad_Alias").code()).isEqualTo("ValidationError");
        assertThat(iam.fail("DeleteAccountAlias", "AccountAlias", "other-alias").code()).isEqualTo("NoSuchEntity");
        iam.caller = IamFixture.root(IamFixture.OTHER_ACCOUNT);
        assertThat(iam.fail("CreateAccountAlias", "AccountAlias", "layer-auth-dev").code()).isEqualTo("EntityAlreadyExists");
        iam.caller = IamFixture.root(ACCOUNT);
        iam.call("DeleteAccountAlias", "AccountAlias", "layer-auth-dev");
        assertThat(iam.call("ListAccountAliases").count("//AccountAliases/member")).isZero();
    }

    @Test
    void authorizationDetailsListEveryEntityWithItsPolicies() {
        iam.call("CreatePolicy", "PolicyName", "read", "PolicyDocument", UsersAndGroupsTest.S3_READ);
        String arn = "arn:aws:iam::" + ACCOUNT + ":policy/read";
        iam.call("CreateUser", "UserName", "verifier", "Tags.member.1.Key", "t", "Tags.member.1.Value", "v");
        iam.call("CreateGroup", "GroupName", "ops");
        iam.call("AddUserToGroup", "GroupName", "ops", "UserName", "verifier");
        iam.call("PutUserPolicy", "UserName", "verifier", "PolicyName", "inline", "PolicyDocument", PoliciesTest.WRITE);
        iam.call("AttachGroupPolicy", "GroupName", "ops", "PolicyArn", arn);
        iam.call("CreateRole", "RoleName", "executor", "AssumeRolePolicyDocument", RolesTest.TRUST);
        iam.call("AttachRolePolicy", "RoleName", "executor", "PolicyArn", arn);

        Xml all = iam.call("GetAccountAuthorizationDetails");
        assertThat(all.text("//UserDetailList/member/UserName")).isEqualTo("verifier");
        assertThat(all.text("//UserDetailList/member/UserPolicyList/member/PolicyName")).isEqualTo("inline");
        assertThat(all.text("//UserDetailList/member/UserPolicyList/member/PolicyDocument")).startsWith("%7B");
        assertThat(all.texts("//UserDetailList/member/GroupList/member")).containsExactly("ops");
        assertThat(all.text("//UserDetailList/member/Tags/member/Key")).isEqualTo("t");
        assertThat(all.text("//GroupDetailList/member/AttachedManagedPolicies/member/PolicyArn")).isEqualTo(arn);
        assertThat(all.text("//RoleDetailList/member/RoleName")).isEqualTo("executor");
        assertThat(all.text("//RoleDetailList/member/AssumeRolePolicyDocument")).startsWith("%7B");
        assertThat(all.text("//Policies/member/PolicyName")).isEqualTo("read");
        assertThat(all.text("//Policies/member/AttachmentCount")).isEqualTo("2");
        assertThat(all.text("//Policies/member/PolicyVersionList/member/VersionId")).isEqualTo("v1");
        assertThat(all.text("//Policies/member/PolicyVersionList/member/IsDefaultVersion")).isEqualTo("true");

        Xml roles = iam.call("GetAccountAuthorizationDetails", "Filter.member.1", "Role");
        assertThat(roles.count("//UserDetailList/member")).isZero();
        assertThat(roles.count("//RoleDetailList/member")).isEqualTo(1);
        Xml page = iam.call("GetAccountAuthorizationDetails", "MaxItems", "2");
        assertThat(page.text("//IsTruncated")).isEqualTo("true");
        Xml rest = iam.call("GetAccountAuthorizationDetails", "Marker", page.text("//Marker"));
        assertThat(rest.count("//RoleDetailList/member") + rest.count("//Policies/member")).isEqualTo(2);
        assertThat(iam.fail("GetAccountAuthorizationDetails", "Filter.member.1", "Bucket").code())
                .isEqualTo("ValidationError");
    }
}
