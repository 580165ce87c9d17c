package dev.portcullis.server.iam;

import static dev.portcullis.server.iam.IamFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.iam.IamFixture.Xml;
import org.junit.jupiter.api.Test;

class UsersAndGroupsTest extends PerTestIamFixture {

    static final String S3_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::verification-results/*\"}]}";

    @Test
    void createsGetsAndListsUsersWithPathsTagsAndBoundary() {
        iam.call("CreatePolicy", "PolicyName", "agent-boundary", "PolicyDocument", S3_READ);
        Xml created = iam.call("CreateUser", "UserName", "verifier", "Path", "/services/",
                "Tags.member.1.Key", "team", "Tags.member.1.Value", "layer-auth",
                "PermissionsBoundary", "arn:aws:iam::" + ACCOUNT + ":policy/agent-boundary");
        assertThat(created.root()).isEqualTo("CreateUserResponse");
        assertThat(created.text("/CreateUserResponse/CreateUserResult/User/UserName")).isEqualTo("verifier");
        assertThat(created.text("//User/Path")).isEqualTo("/services/");
        assertThat(created.text("//User/Arn")).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/services/verifier");
        assertThat(created.text("//User/UserId")).startsWith("AIDA").hasSize(20);
        assertThat(created.text("//User/CreateDate")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(created.text("//User/Tags/member/Key")).isEqualTo("team");
        assertThat(created.text("//User/PermissionsBoundary/PermissionsBoundaryType")).isEqualTo("PermissionsBoundaryPolicy");
        assertThat(created.text("/CreateUserResponse/ResponseMetadata/RequestId")).isEqualTo("req-0001");

        Xml got = iam.call("GetUser", "UserName", "VERIFIER");
        assertThat(got.text("//User/UserName")).isEqualTo("verifier");
        assertThat(got.text("//User/Tags/member/Value")).isEqualTo("layer-auth");

        iam.call("CreateUser", "UserName", "executor");
        Xml all = iam.call("ListUsers");
        assertThat(all.texts("//Users/member/UserName")).containsExactly("executor", "verifier");
        assertThat(all.count("//Users/member/Tags")).isZero();
        assertThat(all.text("//IsTruncated")).isEqualTo("false");
        assertThat(iam.call("ListUsers", "PathPrefix", "/services/").texts("//Users/member/UserName"))
                .containsExactly("verifier");
    }

    @Test
    void paginatesListUsersWithOpaqueMarkers() {
        for (String n : new String[] {"ana", "bo", "cy", "dee", "eve"}) {
            iam.call("CreateUser", "UserName", n);
        }
        Xml first = iam.call("ListUsers", "MaxItems", "2");
        assertThat(first.texts("//Users/member/UserName")).containsExactly("ana", "bo");
        assertThat(first.text("//IsTruncated")).isEqualTo("true");
        String marker = first.text("/ListUsersResponse/ListUsersResult/Marker");
        assertThat(marker).isNotBlank().doesNotContain("bo");
        Xml second = iam.call("ListUsers", "MaxItems", "2", "Marker", marker);
        assertThat(second.texts("//Users/member/UserName")).containsExactly("cy", "dee");
        Xml last = iam.call("ListUsers", "MaxItems", "2", "Marker", second.text("//Marker"));
        assertThat(last.texts("//Users/member/UserName")).containsExactly("eve");
        assertThat(last.text("//IsTruncated")).isEqualTo("false");
        assertThat(last.count("//Marker")).isZero();
        assertThat(iam.fail("ListUsers", "MaxItems", "0").code()).isEqualTo("ValidationError");
        assertThat(iam.fail("ListUsers", "MaxItems", "1001").code()).isEqualTo("ValidationError");
        assertThat(iam.fail("ListUsers", "Marker", "!!!").code()).isEqualTo("ValidationError");
    }

    @Test
    void tagsAndUntagsUsers() {
        iam.call("CreateUser", "UserName", "verifier");
        iam.call("TagUser", "UserName", "verifier", "Tags.member.1.Key", "env", "Tags.member.1.Value", "prod",
                "Tags.member.2.Key", "cost", "Tags.member.2.Value", "42");
        Xml tags = iam.call("ListUserTags", "UserName", "verifier");
        assertThat(tags.texts("//Tags/member/Key")).containsExactly("cost", "env");
        iam.call("UntagUser", "UserName", "verifier", "TagKeys.member.1", "env");
        assertThat(iam.call("ListUserTags", "UserName", "verifier").texts("//Tags/member/Key")).containsExactly("cost");
        assertThat(iam.fail("TagUser", "UserName", "verifier").code()).isEqualTo("ValidationError");
        assertThat(iam.fail("UntagUser", "UserName", "verifier").code()).isEqualTo("ValidationError");
        assertThat(iam.fail("TagUser", "UserName", "verifier", "Tags.member.1.Key", "bad<key>",
                "Tags.member.1.Value", "x").code()).isEqualTo("ValidationError");
    }

    @Test
    void deleteUserConflictsUntilPoliciesGroupsAndKeysAreGone() {
        iam.call("CreateUser", "UserName", "verifier");
        iam.call("CreateGroup", "GroupName", "verifiers");
        iam.call("AddUserToGroup", "GroupName", "verifiers", "UserName", "verifier");
        iam.call("CreatePolicy", "PolicyName", "read-results", "PolicyDocument", S3_READ);
        String arn = "arn:aws:iam::" + ACCOUNT + ":policy/read-results";
        iam.call("AttachUserPolicy", "UserName", "verifier", "PolicyArn", arn);
        iam.call("PutUserPolicy", "UserName", "verifier", "PolicyName", "inline", "PolicyDocument", S3_READ);
        String keyId = iam.call("CreateAccessKey", "UserName", "verifier").text("//AccessKeyId");

        assertThat(iam.fail("DeleteUser", "UserName", "verifier")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("DeleteConflict");
            assertThat(f.status()).isEqualTo(409);
        });
        iam.call("DeleteAccessKey", "UserName", "verifier", "AccessKeyId", keyId);
        assertThat(iam.fail("DeleteUser", "UserName", "verifier").message()).contains("detach all policies");
        iam.call("DetachUserPolicy", "UserName", "verifier", "PolicyArn", arn);
        assertThat(iam.fail("DeleteUser", "UserName", "verifier").message()).contains("delete policies");
        iam.call("DeleteUserPolicy", "UserName", "verifier", "PolicyName", "inline");
        assertThat(iam.fail("DeleteUser", "UserName", "verifier").message()).contains("groups");
        assertThat(iam.fail("DeleteGroup", "GroupName", "verifiers").code()).isEqualTo("DeleteConflict");
        iam.call("RemoveUserFromGroup", "GroupName", "verifiers", "UserName", "verifier");
        iam.call("DeleteUser", "UserName", "verifier");
        iam.call("DeleteGroup", "GroupName", "verifiers");
        assertThat(iam.fail("GetUser", "UserName", "verifier")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("NoSuchEntity");
            assertThat(f.status()).isEqualTo(404);
            assertThat(f.message()).isEqualTo("The user with name verifier cannot be found.");
        });
    }

    @Test
    void groupsListTheirMembersAndUsersTheirGroups() {
        iam.call("CreateUser", "UserName", "ana");
        iam.call("CreateUser", "UserName", "bo");
        Xml group = iam.call("CreateGroup", "GroupName", "ops", "Path", "/teams/");
        assertThat(group.text("//Group/Arn")).isEqualTo("arn:aws:iam::" + ACCOUNT + ":group/teams/ops");
        assertThat(group.text("//Group/GroupId")).startsWith("AGPA");
        iam.call("CreateGroup", "GroupName", "auditors");
        iam.call("AddUserToGroup", "GroupName", "ops", "UserName", "bo");
        iam.call("AddUserToGroup", "GroupName", "ops", "UserName", "ana");
        iam.call("AddUserToGroup", "GroupName", "auditors", "UserName", "ana");
        Xml got = iam.call("GetGroup", "GroupName", "ops");
        assertThat(got.text("//Group/GroupName")).isEqualTo("ops");
        assertThat(got.texts("//Users/member/UserName")).containsExactly("ana", "bo");
        assertThat(iam.call("ListGroups").texts("//Groups/member/GroupName")).containsExactly("auditors", "ops");
        assertThat(iam.call("ListGroups", "PathPrefix", "/teams/").texts("//Groups/member/GroupName"))
                .containsExactly("ops");
        assertThat(iam.call("ListGroupsForUser", "UserName", "ana").texts("//Groups/member/GroupName"))
                .containsExactly("auditors", "ops");
        assertThat(iam.fail("RemoveUserFromGroup", "GroupName", "auditors", "UserName", "bo").code())
                .isEqualTo("NoSuchEntity");
        assertThat(iam.fail("CreateGroup", "GroupName", "OPS").code()).isEqualTo("EntityAlreadyExists");
    }

    @Test
    void getUserWithoutNameAnswersForTheCaller() {
        Xml root = iam.call("GetUser");
        assertThat(root.text("//User/Arn")).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
        assertThat(root.text("//User/UserId")).isEqualTo(ACCOUNT);
        iam.call("CreateUser", "UserName", "verifier", "Path", "/svc/");
        iam.caller = iam.userCaller("verifier");
        Xml self = iam.call("GetUser");
        assertThat(self.text("//User/UserName")).isEqualTo("verifier");
        assertThat(iam.resolve("GetUser").resource()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/svc/verifier");
    }

    @Test
    void rejectsBadNamesAndDuplicatesInAwsWording() {
        assertThat(iam.fail("CreateUser", "UserName", "x y")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("ValidationError");
            assertThat(f.status()).isEqualTo(400);
            assertThat(f.message()).isEqualTo("1 validation error detected: Value 'x y' at 'userName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        });
        assertThat(iam.fail("CreateUser").message()).isEqualTo("1 validation error detected: Value null at "
                + "'userName' failed to satisfy constraint: Member must not be null");
        assertThat(iam.fail("CreateUser", "UserName", "a".repeat(65)).message())
                .contains("Member must have length less than or equal to 64");
        assertThat(iam.fail("CreateUser", "UserName", "ok", "Path", "no-slashes").message()).contains("'path'");
        iam.call("CreateUser", "UserName", "verifier");
        assertThat(iam.fail("CreateUser", "UserName", "Verifier")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("EntityAlreadyExists");
            assertThat(f.status()).isEqualTo(409);
        });
        assertThat(iam.fail("CreateUser", "UserName", "ghost", "PermissionsBoundary",
                "arn:aws:iam::" + ACCOUNT + ":policy/missing").code()).isEqualTo("NoSuchEntity");
        assertThat(iam.fail("ListUsers", "PathPrefix", "nope").code()).isEqualTo("ValidationError");
        assertThat(iam.fail("FlyToTheMoon")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("InvalidAction");
            assertThat(f.message()).isEqualTo("Could not find operation FlyToTheMoon for version 2010-05-08");
        });
    }

    @Test
    void updateUserRenamesAndMovesAUserWithEverythingThatRefersToIt() {
        String a = "arn:aws:iam::" + ACCOUNT + ":";
        iam.call("CreateUser", "UserName", "verifier", "Path", "/svc/");
        String userId = iam.call("GetUser", "UserName", "verifier").text("//User/UserId");
        iam.call("CreateGroup", "GroupName", "ops");
        iam.call("AddUserToGroup", "GroupName", "ops", "UserName", "verifier");
        iam.call("PutUserPolicy", "UserName", "verifier", "PolicyName", "own", "PolicyDocument", S3_READ);
        iam.call("CreatePolicy", "PolicyName", "read", "PolicyDocument", S3_READ);
        iam.call("AttachUserPolicy", "UserName", "verifier", "PolicyArn", a + "policy/read");
        String keyId = iam.call("CreateAccessKey", "UserName", "verifier").text("//AccessKey/AccessKeyId");
        assertThat(iam.call("UpdateUser", "UserName", "verifier").root()).isEqualTo("UpdateUserResponse");

        assertThat(iam.call("UpdateUser", "UserName", "verifier", "NewUserName", "checker", "NewPath", "/agents/")
                .root()).isEqualTo("UpdateUserResponse");
        Xml got = iam.call("GetUser", "UserName", "checker");
        assertThat(got.text("//User/Arn")).isEqualTo(a + "user/agents/checker");
        assertThat(got.text("//User/Path")).isEqualTo("/agents/");
        assertThat(got.text("//User/UserId")).isEqualTo(userId);
        assertThat(iam.fail("GetUser", "UserName", "verifier").code()).isEqualTo("NoSuchEntity");
        assertThat(iam.call("ListAccessKeys", "UserName", "checker").texts("//AccessKeyMetadata/member/AccessKeyId"))
                .containsExactly(keyId);
        assertThat(iam.call("ListAccessKeys", "UserName", "checker").text("//AccessKeyMetadata/member/UserName"))
                .isEqualTo("checker");
        assertThat(iam.call("ListGroupsForUser", "UserName", "checker").texts("//Groups/member/GroupName"))
                .containsExactly("ops");
        assertThat(iam.call("GetGroup", "GroupName", "ops").texts("//Users/member/UserName")).containsExactly("checker");
        assertThat(iam.call("ListUserPolicies", "UserName", "checker").texts("//PolicyNames/member"))
                .containsExactly("own");
        assertThat(iam.call("ListEntitiesForPolicy", "PolicyArn", a + "policy/read")
                .texts("//PolicyUsers/member/UserName")).containsExactly("checker");
        assertThat(iam.state.view().principalPolicies(a + "user/agents/checker").identityPolicies()).hasSize(2);
        assertThat(iam.state.view().principalPolicies(a + "user/svc/verifier")).isNull();

        // Only the path, then only the name.
        iam.call("UpdateUser", "UserName", "checker", "NewPath", "/");
        assertThat(iam.call("GetUser", "UserName", "checker").text("//User/Arn")).isEqualTo(a + "user/checker");
        iam.call("UpdateUser", "UserName", "checker", "NewUserName", "Verifier");
        assertThat(iam.call("GetUser", "UserName", "verifier").text("//User/Arn")).isEqualTo(a + "user/Verifier");
    }

    @Test
    void updateUserAndGroupRefuseTakenNamesMissingEntitiesAndBadInput() {
        iam.call("CreateUser", "UserName", "verifier");
        iam.call("CreateUser", "UserName", "executor");
        iam.call("CreateGroup", "GroupName", "ops");
        iam.call("CreateGroup", "GroupName", "admins");
        assertThat(iam.fail("UpdateUser", "UserName", "verifier", "NewUserName", "EXECUTOR")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("EntityAlreadyExists");
            assertThat(f.message()).isEqualTo("User with name EXECUTOR already exists.");
            assertThat(f.status()).isEqualTo(409);
        });
        assertThat(iam.fail("UpdateGroup", "GroupName", "ops", "NewGroupName", "Admins")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("EntityAlreadyExists");
            assertThat(f.message()).isEqualTo("Group with name Admins already exists.");
        });
        assertThat(iam.fail("UpdateUser", "UserName", "nobody").code()).isEqualTo("NoSuchEntity");
        assertThat(iam.fail("UpdateGroup", "GroupName", "nobody", "NewGroupName", "x")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("NoSuchEntity");
            assertThat(f.status()).isEqualTo(404);
        });
        assertThat(iam.fail("UpdateUser", "UserName", "verifier", "NewUserName", "bad name")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("ValidationError");
            assertThat(f.message()).contains("'newUserName'");
        });
        assertThat(iam.fail("UpdateGroup", "GroupName", "ops", "NewPath", "nope")).satisfies(f -> {
            assertThat(f.code()).isEqualTo("ValidationError");
            assertThat(f.message()).contains("'newPath'");
        });
    }

    @Test
    void updateGroupRenamesAndMovesAGroupWithItsMembersAndPolicies() {
        String a = "arn:aws:iam::" + ACCOUNT + ":";
        iam.call("CreateUser", "UserName", "verifier");
        iam.call("CreateGroup", "GroupName", "ops", "Path", "/teams/");
        String groupId = iam.call("GetGroup", "GroupName", "ops").text("//Group/GroupId");
        iam.call("AddUserToGroup", "GroupName", "ops", "UserName", "verifier");
        iam.call("PutGroupPolicy", "GroupName", "ops", "PolicyName", "team", "PolicyDocument", S3_READ);
        iam.call("CreatePolicy", "PolicyName", "read", "PolicyDocument", S3_READ);
        iam.call("AttachGroupPolicy", "GroupName", "ops", "PolicyArn", a + "policy/read");

        assertThat(iam.call("UpdateGroup", "GroupName", "ops", "NewGroupName", "sre", "NewPath", "/platform/").root())
                .isEqualTo("UpdateGroupResponse");
        Xml got = iam.call("GetGroup", "GroupName", "SRE");
        assertThat(got.text("//Group/GroupName")).isEqualTo("sre");
        assertThat(got.text("//Group/Arn")).isEqualTo(a + "group/platform/sre");
        assertThat(got.text("//Group/GroupId")).isEqualTo(groupId);
        assertThat(got.texts("//Users/member/UserName")).containsExactly("verifier");
        assertThat(iam.fail("GetGroup", "GroupName", "ops").code()).isEqualTo("NoSuchEntity");
        assertThat(iam.call("ListGroupsForUser", "UserName", "verifier").texts("//Groups/member/GroupName"))
                .containsExactly("sre");
        assertThat(iam.call("ListGroupPolicies", "GroupName", "sre").texts("//PolicyNames/member"))
                .containsExactly("team");
        assertThat(iam.call("ListEntitiesForPolicy", "PolicyArn", a + "policy/read")
                .texts("//PolicyGroups/member/GroupName")).containsExactly("sre");
        assertThat(iam.state.view().principalPolicies(a + "user/verifier").identityPolicies())
                .extracting(p -> p.source()).containsExactly(a + "group/platform/sre", a + "policy/read");
        iam.call("RemoveUserFromGroup", "GroupName", "sre", "UserName", "verifier");
        assertThat(iam.state.view().principalPolicies(a + "user/verifier").identityPolicies()).isEmpty();
    }

    @Test
    void renamingNeedsTheActionOnTheNewArnToo() throws Exception {
        String a = "arn:aws:iam::" + ACCOUNT + ":";
        iam.call("CreateUser", "UserName", "admin");
        iam.call("CreateUser", "UserName", "verifier", "Path", "/svc/");
        iam.call("CreateGroup", "GroupName", "ops", "Path", "/teams/");
        iam.call("PutUserPolicy", "UserName", "admin", "PolicyName", "rename-in-svc", "PolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":[\"iam:UpdateUser\",\"iam:UpdateGroup\"],"
                        + "\"Resource\":[\"" + a + "user/svc/*\",\"" + a + "group/teams/*\"]}]}");
        iam.caller = iam.userCaller("admin");
        var user = iam.fail("UpdateUser", "UserName", "verifier", "NewPath", "/elsewhere/");
        assertThat(user.code()).isEqualTo("AccessDenied");
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.message()).contains("iam:UpdateUser").contains(a + "user/elsewhere/verifier");
        assertThat(iam.fail("UpdateGroup", "GroupName", "ops", "NewGroupName", "sre", "NewPath", "/").code())
                .isEqualTo("AccessDenied");
        assertThat(iam.state.view().user(ACCOUNT, "verifier").orElseThrow().path()).isEqualTo("/svc/");
        // Within the allowed paths both ARNs are allowed.
        iam.call("UpdateUser", "UserName", "verifier", "NewUserName", "checker");
        iam.call("UpdateGroup", "GroupName", "ops", "NewGroupName", "sre");
        assertThat(iam.state.view().user(ACCOUNT, "checker").orElseThrow().arn()).isEqualTo(a + "user/svc/checker");
        assertThat(iam.state.view().group(ACCOUNT, "sre").orElseThrow().arn()).isEqualTo(a + "group/teams/sre");
    }

    @Test
    void userPermissionsBoundaryCanBeSetAndRemoved() {
        iam.call("CreateUser", "UserName", "verifier");
        iam.call("CreatePolicy", "PolicyName", "boundary", "PolicyDocument", S3_READ);
        String arn = "arn:aws:iam::" + ACCOUNT + ":policy/boundary";
        iam.call("PutUserPermissionsBoundary", "UserName", "verifier", "PermissionsBoundary", arn);
        assertThat(iam.call("GetUser", "UserName", "verifier").text("//PermissionsBoundaryArn")).isEqualTo(arn);
        assertThat(iam.call("GetPolicy", "PolicyArn", arn).text("//PermissionsBoundaryUsageCount")).isEqualTo("1");
        assertThat(iam.fail("DeletePolicy", "PolicyArn", arn).code()).isEqualTo("DeleteConflict");
        iam.call("DeleteUserPermissionsBoundary", "UserName", "verifier");
        assertThat(iam.call("GetUser", "UserName", "verifier").count("//PermissionsBoundary")).isZero();
        iam.call("DeletePolicy", "PolicyArn", arn);
    }
}
