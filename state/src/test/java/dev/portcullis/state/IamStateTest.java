package dev.portcullis.state;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static dev.portcullis.state.Fixtures.READ_S3;
import static dev.portcullis.state.Fixtures.TRUST_EC2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.model.AccessKeyStatus;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.CompiledPolicy;
import dev.portcullis.state.view.IamView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamStateTest {
    @TempDir
    Path dir;
    Keyring keyring = Keyring.generate();
    IamState state;

    @BeforeEach
    void open() throws IamException {
        state = IamState.open(Fixtures.sqlite(dir, keyring));
        state.apply(CreateAccount.of(ACCOUNT));
    }

    @AfterEach
    void close() {
        state.close();
    }

    private String policy(String name) throws IamException {
        state.apply(CreatePolicy.of(ACCOUNT, name, "/", READ_S3));
        return "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
    }

    private static void assertIam(ThrowingCallable call, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IamException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void createdUserIsVisibleByNameCaseInsensitivelyAndByArnWithAwsIds() throws IamException {
        Applied a = state.apply(CreateUser.of(ACCOUNT, "Alice", "/eng/"));
        IamView v = state.view();
        User u = v.user(ACCOUNT, "alice").orElseThrow();
        assertThat(u.userId()).matches("AIDA[A-Z2-7]{16}");
        assertThat(u.arn()).isEqualTo("arn:aws:iam::123456789012:user/eng/Alice");
        assertThat(v.userByArn(u.arn())).contains(u);
        assertThat(state.appliedSequence()).isEqualTo(a.sequence()).isEqualTo(2);
    }

    @Test
    void rejectsDuplicateUserWithEntityAlreadyExists() throws IamException {
        state.apply(CreateUser.of(ACCOUNT, "alice", "/"));
        assertIam(() -> state.apply(CreateUser.of(ACCOUNT, "ALICE", "/")), "EntityAlreadyExists",
                "User with name ALICE already exists.");
    }

    @Test
    void rejectsUnknownUserWithNoSuchEntityInAwsWording() {
        assertIam(() -> state.apply(new DeleteUser(ACCOUNT, "bob")), "NoSuchEntity",
                "The user with name bob cannot be found.");
    }

    @Test
    void rejectsBadNamesAndPathsWithValidationError() {
        assertIam(() -> state.apply(CreateUser.of(ACCOUNT, "bad name", "/")), "ValidationError",
                "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        assertThatThrownBy(() -> state.apply(CreateUser.of(ACCOUNT, "a".repeat(65), "/")))
                .hasMessageContaining("Member must have length less than or equal to 64");
        assertThatThrownBy(() -> state.apply(CreateUser.of(ACCOUNT, "ok", "no-slashes")))
                .hasMessageContaining("at 'path'");
    }

    @Test
    void rejectedChangeLeavesNoTraceInTheLogOrTheView() throws IamException {
        long before = state.appliedSequence();
        assertThatThrownBy(() -> state.apply(CreateUser.of(ACCOUNT, "bad name", "/")));
        assertThat(state.appliedSequence()).isEqualTo(before);
        assertThat(state.store().lastSequence()).isEqualTo(before);
    }

    @Test
    void enforcesTwoAccessKeysPerUser() throws IamException {
        state.apply(CreateUser.of(ACCOUNT, "alice", "/"));
        state.createAccessKey(ACCOUNT, "alice");
        state.createAccessKey(ACCOUNT, "alice");
        assertIam(() -> state.createAccessKey(ACCOUNT, "alice"), "LimitExceeded",
                "Cannot exceed quota for AccessKeysPerUser: 2");
    }

    @Test
    void accessKeyIndexHoldsTheSecretInMemoryAndTheOwner() throws IamException {
        state.apply(CreateUser.of(ACCOUNT, "alice", "/"));
        NewAccessKey key = state.createAccessKey(ACCOUNT, "alice");
        assertThat(key.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.secret().revealAsString()).hasSize(40);
        var entry = state.view().accessKey(key.accessKeyId()).orElseThrow();
        assertThat(entry.secret().matches(key.secret().reveal())).isTrue();
        assertThat(entry.key().ownerArn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(entry.key().status()).isEqualTo(AccessKeyStatus.Active);
        state.apply(new UpdateAccessKey(ACCOUNT, "alice", key.accessKeyId(), AccessKeyStatus.Inactive));
        assertThat(state.view().accessKey(key.accessKeyId()).orElseThrow().key().status())
                .isEqualTo(AccessKeyStatus.Inactive);
    }

    @Test
    void secretsNeverAppearInClearInLogSnapshotOrToString() throws Exception {
        state.apply(CreateUser.of(ACCOUNT, "alice", "/"));
        NewAccessKey key = state.createAccessKey(ACCOUNT, "alice");
        String secret = key.secret().revealAsString();
        state.snapshotNow();
        assertThat(key.toString()).doesNotContain(secret);
        assertThat(state.view().accessKey(key.accessKeyId()).orElseThrow().toString()).doesNotContain(secret);
        assertThat(state.store().readAfter(0, 100)).allSatisfy(e -> assertThat(e.payload()).doesNotContain(secret));
        byte[] snapshot = state.store().latestSnapshot().orElseThrow().data();
        String unzipped = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(snapshot))
                .readAllBytes());
        assertThat(unzipped).contains(key.accessKeyId()).doesNotContain(secret);
        state.close();
        assertThat(new String(Files.readAllBytes(dir.resolve("portcullis.db")), "ISO-8859-1")).doesNotContain(secret);
        state = IamState.open(Fixtures.sqlite(dir, keyring));
    }

    @Test
    void principalPoliciesIncludeInlineAttachedGroupPoliciesAndBoundary() throws IamException {
        String managed = policy("ReadReports");
        String boundary = policy("Boundary");
        state.apply(CreateUser.of(ACCOUNT, "alice", "/"));
        state.apply(CreateGroup.of(ACCOUNT, "analysts", "/"));
        state.apply(new AddUserToGroup(ACCOUNT, "analysts", "alice"));
        state.apply(new PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "alice", "own", READ_S3));
        state.apply(new AttachPolicy(ACCOUNT, PrincipalKind.GROUP, "analysts", managed));
        state.apply(new PutInlinePolicy(ACCOUNT, PrincipalKind.GROUP, "analysts", "team", READ_S3));
        state.apply(new SetPermissionsBoundary(ACCOUNT, PrincipalKind.USER, "alice", Optional.of(boundary)));
        var p = state.view().principalPolicies("arn:aws:iam::123456789012:user/alice");
        assertThat(p.identityPolicies()).extracting(CompiledPolicy::source, CompiledPolicy::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("arn:aws:iam::123456789012:user/alice", "own"),
                org.assertj.core.groups.Tuple.tuple("arn:aws:iam::123456789012:group/analysts", "team"),
                org.assertj.core.groups.Tuple.tuple(managed, "v1"));
        assertThat(p.permissionsBoundary()).map(CompiledPolicy::source).contains(boundary);
        assertThat(p.identityPolicies()).allSatisfy(c -> assertThat(c.policy().statementCount()).isEqualTo(1));
        state.apply(new RemoveUserFromGroup(ACCOUNT, "analysts", "alice"));
        assertThat(state.view().principalPolicies("arn:aws:iam::123456789012:user/alice").identityPolicies())
                .hasSize(1);
    }

    @Test
    void newDefaultPolicyVersionReachesEveryHolder() throws IamException {
        String managed = policy("P");
        state.apply(CreateRole.of(ACCOUNT, "r", "/", TRUST_EC2));
        state.apply(new AttachPolicy(ACCOUNT, PrincipalKind.ROLE, "r", managed));
        state.apply(new CreatePolicyVersion(managed, Fixtures.DENY_ALL, true, Instant.now()));
        var p = state.view().principalPolicies("arn:aws:iam::123456789012:role/r");
        assertThat(p.identityPolicies()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("v2");
            assertThat(c.document()).isEqualTo(Fixtures.DENY_ALL);
        });
        assertThat(state.view().managedPolicy(managed).orElseThrow().attachmentCount()).isEqualTo(1);
    }

    @Test
    void enforcesFiveVersionsPerManagedPolicyAndProtectsTheDefault() throws IamException {
        String managed = policy("P");
        for (int i = 0; i < 4; i++) {
            state.apply(new CreatePolicyVersion(managed, READ_S3, false, Instant.now()));
        }
        assertIam(() -> state.apply(new CreatePolicyVersion(managed, READ_S3, false, Instant.now())), "LimitExceeded",
                "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
                        + "existing version.");
        assertIam(() -> state.apply(new DeletePolicyVersion(managed, "v1")), "DeleteConflict",
                "Cannot delete the default version of a policy.");
        state.apply(new DeletePolicyVersion(managed, "v3"));
        state.apply(new CreatePolicyVersion(managed, READ_S3, false, Instant.now()));
        assertThat(state.view().managedPolicy(managed).orElseThrow().versions())
                .extracting(v -> v.versionId()).containsExactly("v1", "v2", "v4", "v5", "v6");
    }

    @Test
    void enforcesTenAttachedPoliciesPerRole() throws IamException {
        state.apply(CreateRole.of(ACCOUNT, "r", "/", TRUST_EC2));
        for (int i = 0; i < 10; i++) {
            state.apply(new AttachPolicy(ACCOUNT, PrincipalKind.ROLE, "r", policy("P" + i)));
        }
        String eleventh = policy("P10");
        assertIam(() -> state.apply(new AttachPolicy(ACCOUNT, PrincipalKind.ROLE, "r", eleventh)), "LimitExceeded",
                "Cannot exceed quota for PoliciesPerRole: 10");
    }

    @Test
    void enforcesTenGroupsPerUser() throws IamException {
        state.apply(CreateUser.of(ACCOUNT, "u", "/"));
        for (int i = 0; i < 10; i++) {
            state.apply(CreateGroup.of(ACCOUNT, "g" + i, "/"));
            state.apply(new AddUserToGroup(ACCOUNT, "g" + i, "u"));
        }
        state.apply(CreateGroup.of(ACCOUNT, "g10", "/"));
        assertIam(() -> state.apply(new AddUserToGroup(ACCOUNT, "g10", "u")), "LimitExceeded",
                "Cannot exceed quota for GroupsPerUser: 10");
    }

    @Test
    void refusesToDeleteEntitiesStillInUseWithDeleteConflict() throws IamException {
        String managed = policy("P");
        state.apply(CreateUser.of(ACCOUNT, "u", "/"));
        NewAccessKey key = state.createAccessKey(ACCOUNT, "u");
        assertIam(() -> state.apply(new DeleteUser(ACCOUNT, "u")), "DeleteConflict",
                "Cannot delete entity, must delete access keys first.");
        state.apply(new DeleteAccessKey(ACCOUNT, "u", key.accessKeyId()));
        state.apply(new AttachPolicy(ACCOUNT, PrincipalKind.USER, "u", managed));
        assertIam(() -> state.apply(new DeletePolicy(managed)), "DeleteConflict",
                "Cannot delete a policy attached to entities.");
        assertIam(() -> state.apply(new DeleteUser(ACCOUNT, "u")), "DeleteConflict",
                "Cannot delete entity, must detach all policies first.");
        state.apply(new DetachPolicy(ACCOUNT, PrincipalKind.USER, "u", managed));
        state.apply(new DeleteUser(ACCOUNT, "u"));
        state.apply(new DeletePolicy(managed));
        assertThat(state.view().user(ACCOUNT, "u")).isEmpty();
        assertThat(state.view().principalPolicies("arn:aws:iam::123456789012:user/u")).isNull();
    }

    @Test
    void policyEngineErrorsBecomeMalformedPolicyDocumentWithTheEnginesMessage() {
        String noAction = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}";
        assertThatThrownBy(() -> state.apply(CreatePolicy.of(ACCOUNT, "p", "/", noAction)))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.code()).isEqualTo("MalformedPolicyDocument");
                    assertThat(e.getMessage()).isEqualTo(dev.portcullis.core.policy.Policies.validate(noAction,
                            dev.portcullis.core.policy.PolicyKind.MANAGED).get(0).message());
                    assertThat(e.httpStatus()).isEqualTo(400);
                });
        assertThatThrownBy(() -> state.apply(CreateRole.of(ACCOUNT, "r", "/", READ_S3)))
                .as("a trust policy must name a principal")
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.code()).isEqualTo("MalformedPolicyDocument"));
    }

    @Test
    void roleSessionDurationMustBeOneToTwelveHours() {
        assertIam(() -> state.apply(new CreateRole(ACCOUNT, "r", "/", "AROAAAAAAAAAAAAAAAAA", TRUST_EC2, 60, "",
                        java.util.List.of(), Optional.empty(), Instant.now())), "ValidationError",
                "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 3600");
        assertThatThrownBy(() -> state.apply(new CreateRole(ACCOUNT, "r", "/", "AROAAAAAAAAAAAAAAAAA", TRUST_EC2,
                43201, "", java.util.List.of(), Optional.empty(), Instant.now())))
                .hasMessageContaining("less than or equal to 43200");
    }

    @Test
    void malformedPolicyDocumentIsRejected() throws IamException {
        assertIam(() -> state.apply(CreateRole.of(ACCOUNT, "r", "/", "not json")), "MalformedPolicyDocument",
                "Syntax errors in policy.");
        state.apply(CreateUser.of(ACCOUNT, "u", "/"));
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[],\"Pad\":\"" + "x".repeat(2100) + "\"}";
        assertIam(() -> state.apply(new PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "u", "p", big)), "LimitExceeded",
                "Cannot exceed quota for UserPolicySize: 2048");
    }

    @Test
    void revocationWatermarkOnlyMovesForward() throws IamException {
        state.apply(CreateRole.of(ACCOUNT, "r", "/", TRUST_EC2));
        Instant t2 = Instant.parse("2026-01-02T00:00:00Z");
        state.apply(new RevokeRoleSessions(ACCOUNT, "r", t2));
        state.apply(new RevokeRoleSessions(ACCOUNT, "r", Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(state.view().role(ACCOUNT, "r").orElseThrow().sessionsRevokedBefore()).contains(t2);
    }

    @Test
    void reopeningReplaysTheLogAndSnapshotsToTheSameModel() throws IamException {
        state.apply(CreateRole.of(ACCOUNT, "r", "/svc/", TRUST_EC2));
        state.apply(new PutInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "r", "inline", READ_S3));
        state.apply(CreateUser.of(ACCOUNT, "u", "/"));
        NewAccessKey key = state.createAccessKey(ACCOUNT, "u");
        state.snapshotNow();
        state.apply(new TagEntity(ACCOUNT, PrincipalKind.ROLE, "r", java.util.List.of(
                new dev.portcullis.state.model.Tag("team", "payments"))));
        IamView before = state.view();
        state.close();
        state = IamState.open(Fixtures.sqlite(dir, keyring));
        IamView after = state.view();
        assertThat(after.sequence()).isEqualTo(before.sequence());
        assertThat(after.role(ACCOUNT, "r")).isEqualTo(before.role(ACCOUNT, "r"));
        assertThat(after.user(ACCOUNT, "u")).isEqualTo(before.user(ACCOUNT, "u"));
        assertThat(after.accessKey(key.accessKeyId()).orElseThrow().secret().matches(key.secret().reveal())).isTrue();
        assertThat(after.principalPolicies("arn:aws:iam::123456789012:role/svc/r").identityPolicies()).hasSize(1);
        assertThat(after.trustPolicy("arn:aws:iam::123456789012:role/svc/r")).isPresent();
    }

    @Test
    void servicePrincipalGetsItsOwnAccessKey() throws IamException {
        NewAccessKey key = state.createServicePrincipal("agents.example.internal", ACCOUNT, true);
        var entry = state.view().accessKey(key.accessKeyId()).orElseThrow();
        assertThat(entry.servicePrincipal()).get().satisfies(sp -> {
            assertThat(sp.name()).isEqualTo("agents.example.internal");
            assertThat(sp.mayAssertSource()).isTrue();
        });
        assertIam(() -> state.createServicePrincipal("agents.example.internal", ACCOUNT, false),
                "EntityAlreadyExists", "Service principal with name agents.example.internal already exists.");
    }

    @Test
    void gatewayApisStagesAndRoutesAreKept() throws IamException {
        state.apply(new PutApi("a1b2c3", ACCOUNT, "orders", Optional.of(Fixtures.API_RESOURCE_POLICY), java.util.Map.of(), Instant.now()));
        state.apply(new PutStage("a1b2c3", "prod", java.util.Map.of()));
        state.apply(new PutRoute("a1b2c3", "POST /orders/{id}", "http://127.0.0.1:9000", "IAM", "async",
                java.util.Map.of()));
        var api = state.view().api("a1b2c3").orElseThrow();
        assertThat(api.routes()).containsKey("POST /orders/{id}");
        assertThat(api.stages()).containsKey("prod");
        assertThat(state.view().apiResourcePolicy("a1b2c3")).isPresent();
    }

    @Test
    void aStageIsDeletedUnlessACustomDomainMapsIt() throws IamException {
        state.apply(new PutApi("d4e5f6", ACCOUNT, "orders", Optional.empty(),
                java.util.Map.of("domain:orders.internal.example", "live/v1"), Instant.now()));
        state.apply(new PutStage("d4e5f6", "live", java.util.Map.of()));
        state.apply(new PutStage("d4e5f6", "beta", java.util.Map.of()));
        state.apply(new PutRoute("d4e5f6", "GET /x", "http://127.0.0.1:9000", "IAM", "sync", java.util.Map.of()));

        state.apply(new DeleteStage("d4e5f6", "beta"));
        var api = state.view().api("d4e5f6").orElseThrow();
        assertThat(api.stages()).containsOnlyKeys("live");
        assertThat(api.routes()).containsOnlyKeys("GET /x");

        assertIam(() -> state.apply(new DeleteStage("d4e5f6", "beta")), "NoSuchEntity",
                "Invalid stage identifier specified");
        assertIam(() -> state.apply(new DeleteStage("d4e5f6", "live")), "DeleteConflict",
                "The stage live is mapped by the custom domain orders.internal.example; delete the mapping first");
        assertThat(state.view().api("d4e5f6").orElseThrow().stages()).containsOnlyKeys("live");
    }

    @Test
    void lastUsedIsWrittenAtMostHourlyPerServiceAndRegion() throws IamException {
        state.apply(CreateUser.of(ACCOUNT, "u", "/"));
        NewAccessKey key = state.createAccessKey(ACCOUNT, "u");
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        assertThat(state.recordAccessKeyUse(key.accessKeyId(), "s3", "us-east-1", t)).isTrue();
        assertThat(state.recordAccessKeyUse(key.accessKeyId(), "s3", "us-east-1", t.plusSeconds(600))).isFalse();
        assertThat(state.recordAccessKeyUse(key.accessKeyId(), "sts", "us-east-1", t.plusSeconds(600))).isTrue();
        assertThat(state.recordAccessKeyUse(key.accessKeyId(), "sts", "us-east-1", t.plusSeconds(4300))).isTrue();
        assertThat(state.view().accessKey(key.accessKeyId()).orElseThrow().key().lastUsed()).get()
                .satisfies(u -> assertThat(u.lastUsedAt()).isEqualTo(t.plusSeconds(4300)));
        state.apply(CreateRole.of(ACCOUNT, "r", "/", TRUST_EC2));
        assertThat(state.recordRoleUse(ACCOUNT, "r", "eu-west-1", t)).isTrue();
        assertThat(state.recordRoleUse(ACCOUNT, "r", "eu-west-1", t.plusSeconds(60))).isFalse();
        assertThat(state.view().role(ACCOUNT, "r").orElseThrow().lastUsed()).get()
                .satisfies(u -> assertThat(u.region()).isEqualTo("eu-west-1"));
    }

    @Test
    void changeWithoutAccountIsRejected() {
        assertIam(() -> state.apply(CreateUser.of("999999999999", "u", "/")), "NoSuchEntity",
                "The account with id 999999999999 cannot be found.");
    }

    @Test
    void everyChangeRoundTripsThroughTheLog() throws IamException {
        Change c = new SetAccountAlias(ACCOUNT, Optional.of("acme-prod"));
        state.apply(c);
        var entries = state.store().readAfter(state.appliedSequence() - 1, 10);
        assertThat(dev.portcullis.state.change.ChangeCodec.decode(entries.get(0).payload())).isEqualTo(c);
        assertThat(entries.get(0).changeType()).isEqualTo("SetAccountAlias");
    }
}
