package dev.portcullis.server.iam;

import static dev.portcullis.server.iam.IamFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.pipeline.Operation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each operation asks the pipeline to authorize: the IAM action, the resource ARN the Service
 * Authorization Reference gives that action (existing entities with their real path), and whether it
 * writes. The fixture holds user {@code /svc/verifier}, group {@code /teams/ops}, role
 * {@code /agents/executor} and policy {@code /team/read}; resolving changes nothing, so one fixture
 * serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResolutionTest {

    static final String A = "arn:aws:iam::" + ACCOUNT + ":";
    static final String POLICY = A + "policy/team/read";

    @TempDir
    static Path dir;
    IamFixture iam;

    @BeforeAll
    void open() throws Exception {
        iam = new IamFixture(dir);
        iam.call("CreateUser", "UserName", "verifier", "Path", "/svc/", "Tags.member.1.Key", "team",
                "Tags.member.1.Value", "layer-auth");
        iam.call("CreateGroup", "GroupName", "ops", "Path", "/teams/");
        iam.call("CreateRole", "RoleName", "executor", "Path", "/agents/", "AssumeRolePolicyDocument", RolesTest.TRUST,
                "Tags.member.1.Key", "tier", "Tags.member.1.Value", "gold");
        iam.call("CreatePolicy", "PolicyName", "read", "Path", "/team/", "PolicyDocument", UsersAndGroupsTest.S3_READ);
    }

    @AfterAll
    void close() {
        iam.close();
    }

    static Stream<Arguments> operations() {
        return Stream.of(
                op("CreateUser", A + "user/new/alice", true, "UserName", "alice", "Path", "/new/"),
                op("GetUser", A + "user/svc/verifier", false, "UserName", "verifier"),
                op("GetUser", A + "user/ghost", false, "UserName", "ghost"),
                op("ListUsers", "*", false),
                op("UpdateUser", A + "user/svc/verifier", true, "UserName", "verifier"),
                op("DeleteUser", A + "user/svc/verifier", true, "UserName", "verifier"),
                op("TagUser", A + "user/svc/verifier", true, "UserName", "verifier", "Tags.member.1.Key", "k",
                        "Tags.member.1.Value", "v"),
                op("UntagUser", A + "user/svc/verifier", true, "UserName", "verifier", "TagKeys.member.1", "k"),
                op("ListUserTags", A + "user/svc/verifier", false, "UserName", "verifier"),
                op("PutUserPermissionsBoundary", A + "user/svc/verifier", true, "UserName", "verifier",
                        "PermissionsBoundary", POLICY),
                op("DeleteUserPermissionsBoundary", A + "user/svc/verifier", true, "UserName", "verifier"),
                op("CreateGroup", A + "group/g", true, "GroupName", "g"),
                op("GetGroup", A + "group/teams/ops", false, "GroupName", "ops"),
                op("ListGroups", "*", false),
                op("DeleteGroup", A + "group/teams/ops", true, "GroupName", "ops"),
                op("AddUserToGroup", A + "group/teams/ops", true, "GroupName", "ops", "UserName", "verifier"),
                op("RemoveUserFromGroup", A + "group/teams/ops", true, "GroupName", "ops", "UserName", "verifier"),
                op("ListGroupsForUser", A + "user/svc/verifier", false, "UserName", "verifier"),
                op("CreateRole", A + "role/r", true, "RoleName", "r", "AssumeRolePolicyDocument", RolesTest.TRUST),
                op("GetRole", A + "role/agents/executor", false, "RoleName", "executor"),
                op("ListRoles", "*", false),
                op("UpdateRole", A + "role/agents/executor", true, "RoleName", "executor"),
                op("UpdateRoleDescription", A + "role/agents/executor", true, "RoleName", "executor", "Description", "d"),
                op("UpdateAssumeRolePolicy", A + "role/agents/executor", true, "RoleName", "executor", "PolicyDocument",
                        RolesTest.TRUST),
                op("DeleteRole", A + "role/agents/executor", true, "RoleName", "executor"),
                op("TagRole", A + "role/agents/executor", true, "RoleName", "executor", "Tags.member.1.Key", "k",
                        "Tags.member.1.Value", "v"),
                op("UntagRole", A + "role/agents/executor", true, "RoleName", "executor", "TagKeys.member.1", "k"),
                op("ListRoleTags", A + "role/agents/executor", false, "RoleName", "executor"),
                op("PutRolePermissionsBoundary", A + "role/agents/executor", true, "RoleName", "executor",
                        "PermissionsBoundary", POLICY),
                op("DeleteRolePermissionsBoundary", A + "role/agents/executor", true, "RoleName", "executor"),
                op("PutUserPolicy", A + "user/svc/verifier", true, "UserName", "verifier", "PolicyName", "p",
                        "PolicyDocument", "{}"),
                op("GetGroupPolicy", A + "group/teams/ops", false, "GroupName", "ops", "PolicyName", "p"),
                op("ListRolePolicies", A + "role/agents/executor", false, "RoleName", "executor"),
                op("DeleteRolePolicy", A + "role/agents/executor", true, "RoleName", "executor", "PolicyName", "p"),
                op("CreatePolicy", A + "policy/x/p", true, "PolicyName", "p", "Path", "/x/", "PolicyDocument", "{}"),
                op("GetPolicy", POLICY, false, "PolicyArn", POLICY),
                op("GetPolicyVersion", POLICY, false, "PolicyArn", POLICY, "VersionId", "v1"),
                op("ListPolicies", "*", false),
                op("CreatePolicyVersion", POLICY, true, "PolicyArn", POLICY, "PolicyDocument", "{}"),
                op("ListPolicyVersions", POLICY, false, "PolicyArn", POLICY),
                op("DeletePolicyVersion", POLICY, true, "PolicyArn", POLICY, "VersionId", "v2"),
                op("SetDefaultPolicyVersion", POLICY, true, "PolicyArn", POLICY, "VersionId", "v1"),
                op("DeletePolicy", POLICY, true, "PolicyArn", POLICY),
                op("AttachGroupPolicy", A + "group/teams/ops", true, "GroupName", "ops", "PolicyArn", POLICY),
                op("DetachRolePolicy", A + "role/agents/executor", true, "RoleName", "executor", "PolicyArn", POLICY),
                op("ListAttachedUserPolicies", A + "user/svc/verifier", false, "UserName", "verifier"),
                op("ListEntitiesForPolicy", POLICY, false, "PolicyArn", POLICY),
                op("CreateAccessKey", A + "user/svc/verifier", true, "UserName", "verifier"),
                op("ListAccessKeys", A + "user/svc/verifier", false, "UserName", "verifier"),
                op("UpdateAccessKey", A + "user/svc/verifier", true, "UserName", "verifier", "AccessKeyId",
                        "AKIAEXAMPLEEXAMPLE01", "Status", "Inactive"),
                op("DeleteAccessKey", A + "user/svc/verifier", true, "UserName", "verifier", "AccessKeyId",
                        "AKIAEXAMPLEEXAMPLE01"),
                op("GetAccessKeyLastUsed", "*", false, "AccessKeyId", "AKIAEXAMPLEEXAMPLE01"),
                op("GetAccountAuthorizationDetails", "*", false),
                op("CreateAccountAlias", "*", true, "AccountAlias", "my-alias"),
                op("DeleteAccountAlias", "*", true, "AccountAlias", "my-alias"),
                op("ListAccountAliases", "*", false),
                op("SimulateCustomPolicy", "*", false, "PolicyInputList.member.1", "{}", "ActionNames.member.1", "s3:*"),
                op("SimulatePrincipalPolicy", A + "role/agents/executor", false, "PolicySourceArn",
                        A + "role/agents/executor", "ActionNames.member.1", "s3:*"),
                op("GetContextKeysForCustomPolicy", "*", false, "PolicyInputList.member.1", "{}"),
                op("GetContextKeysForPrincipalPolicy", A + "user/svc/verifier", false, "PolicySourceArn",
                        A + "user/svc/verifier"));
    }

    static Arguments op(String action, String resource, boolean write, String... params) {
        return Arguments.of(action, resource, write, params);
    }

    /** Reads whose work grows with the account or the request run off the event loop too. */
    static final java.util.Set<String> HEAVY_READS = java.util.Set.of("GetAccountAuthorizationDetails",
            "SimulateCustomPolicy", "SimulatePrincipalPolicy", "GetContextKeysForCustomPolicy",
            "GetContextKeysForPrincipalPolicy");

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("operations")
    void resolvesActionResourceAndAccess(String action, String resource, boolean write, String[] params) {
        Operation op = iam.resolve(action, params);
        assertThat(op.name()).isEqualTo(action);
        assertThat(op.action()).isEqualTo("iam:" + action);
        assertThat(op.resource()).isEqualTo(resource);
        assertThat(op.resourceAccount()).isEqualTo(ACCOUNT);
        assertThat(op.readOnly()).isEqualTo(!write);
        assertThat(op.blocking()).isEqualTo(write || HEAVY_READS.contains(action));
    }

    @Test
    void everyImplementedActionIsCoveredAboveOrByFamily() {
        assertThat(iam.api.actions()).hasSizeGreaterThanOrEqualTo(70);
        assertThat(iam.api.handles("CreateUser")).isTrue();
        assertThat(iam.api.handles("CreateLoginProfile")).isFalse();
        assertThat(iam.api.service()).isEqualTo("iam");
        assertThat(iam.api.version()).isEqualTo("2010-05-08");
        assertThat(iam.api.namespace()).isEqualTo("https://iam.amazonaws.com/doc/2010-05-08/");
        assertThat(iam.api.eventSource()).isEqualTo("iam.amazonaws.com");
    }

    @Test
    void createWithTagsCarriesRequestTagsAndBoundary() {
        Operation op = iam.resolve("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", RolesTest.TRUST,
                "Tags.member.1.Key", "team", "Tags.member.1.Value", "layer-auth", "PermissionsBoundary", POLICY);
        assertThat(op.requestTags()).isEqualTo(Map.of("team", "layer-auth"));
        assertThat(op.context()).containsEntry("iam:PermissionsBoundary", List.of(POLICY));
        assertThat(iam.resolve("CreateUser", "UserName", "u", "PermissionsBoundary", POLICY).context())
                .containsEntry("iam:PermissionsBoundary", List.of(POLICY));
    }

    @Test
    void existingEntitiesCarryTheirTagsAsResourceTags() {
        assertThat(iam.resolve("GetUser", "UserName", "verifier").resourceTags()).isEqualTo(Map.of("team", "layer-auth"));
        assertThat(iam.resolve("DeleteRole", "RoleName", "executor").resourceTags()).isEqualTo(Map.of("tier", "gold"));
        Operation tag = iam.resolve("TagRole", "RoleName", "executor", "Tags.member.1.Key", "env",
                "Tags.member.1.Value", "prod");
        assertThat(tag.requestTags()).isEqualTo(Map.of("env", "prod"));
        assertThat(tag.resourceTags()).isEqualTo(Map.of("tier", "gold"));
        assertThat(iam.resolve("UntagUser", "UserName", "verifier", "TagKeys.member.1", "team").context())
                .containsEntry("aws:TagKeys", List.of("team"));
    }

    @Test
    void attachAndDetachCarryThePolicyArn() {
        for (String action : new String[] {"AttachUserPolicy", "DetachUserPolicy"}) {
            assertThat(iam.resolve(action, "UserName", "verifier", "PolicyArn", POLICY).context())
                    .containsEntry("iam:PolicyARN", List.of(POLICY));
        }
        iam.call("PutRolePermissionsBoundary", "RoleName", "executor", "PermissionsBoundary", POLICY);
        assertThat(iam.resolve("DeleteRolePermissionsBoundary", "RoleName", "executor").context())
                .containsEntry("iam:PermissionsBoundary", List.of(POLICY));
    }

    @Test
    void validationHappensBeforeAuthorization() {
        assertThat(iam.fail("CreateUser", "UserName", "bad name").code()).isEqualTo("ValidationError");
        assertThat(iam.fail("AttachUserPolicy", "UserName", "verifier").message())
                .isEqualTo("1 validation error detected: Value null at 'policyArn' failed to satisfy constraint: "
                        + "Member must not be null");
        assertThat(iam.fail("SimulateCustomPolicy", "PolicyInputList.member.1", "{}").message()).contains("'actionNames'");
        assertThat(iam.fail("SimulatePrincipalPolicy", "PolicySourceArn", "arn:aws:s3:::bucket",
                "ActionNames.member.1", "s3:*").code()).isEqualTo("InvalidInput");
    }
}
