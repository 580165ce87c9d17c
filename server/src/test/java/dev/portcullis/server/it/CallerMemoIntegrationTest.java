package dev.portcullis.server.it;

import static dev.portcullis.server.it.RunningNode.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.server.iam.IamApi;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Tag;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The request path remembers a session's principal and its own policies per event loop and model snapshot.
 * Every change to what they are made of must show in the very next request of the same session (or key),
 * over the same keep-alive connection, hence the same event loop: tags, policies, revocation.
 */
class CallerMemoIntegrationTest {

    private static final String TRUST_ACCOUNT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
             "Action":"sts:AssumeRole"}]}""";
    private static final String READ_IF_BLUE = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*",
             "Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}]}""";
    private static final String READ_USERS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}""";

    @TempDir
    static Path dir;
    static RunningNode node;

    @BeforeAll
    static void start() throws Exception {
        node = new RunningNode(dir, parts -> List.of(new IamApi(parts.state())));
        var state = node.node.state();
        state.apply(Change.CreateRole.of(ACCOUNT, "reader", "/", TRUST_ACCOUNT));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "reader", "read-if-blue", READ_IF_BLUE));
        state.apply(new Change.TagEntity(ACCOUNT, PrincipalKind.ROLE, "reader", List.of(new Tag("team", "blue"))));
        state.apply(Change.CreateUser.of(ACCOUNT, "alice", "/"));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "alice", "read-users", READ_USERS));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aSessionSeesTagPolicyAndRevocationChangesOnItsNextRequest() throws Exception {
        AwsCredentials session;
        try (StsClient sts = node.sts(RunningNode.root())) {
            session = RunningNode.session(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/reader")
                    .roleSessionName("memo")).credentials());
        }
        var state = node.node.state();
        try (IamClient iam = node.iam(session)) {
            assertThat(iam.getRole(b -> b.roleName("reader")).role().roleName()).isEqualTo("reader");
            assertThat(iam.getRole(b -> b.roleName("reader")).role().roleName()).isEqualTo("reader");

            // The role's tag feeds aws:PrincipalTag/team of its sessions.
            state.apply(new Change.TagEntity(ACCOUNT, PrincipalKind.ROLE, "reader", List.of(new Tag("team", "red"))));
            assertDenied(() -> iam.getRole(b -> b.roleName("reader")));
            state.apply(new Change.TagEntity(ACCOUNT, PrincipalKind.ROLE, "reader", List.of(new Tag("team", "blue"))));
            assertThat(iam.getRole(b -> b.roleName("reader")).role().roleName()).isEqualTo("reader");

            // The role's own policy.
            state.apply(new Change.DeleteInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "reader", "read-if-blue"));
            assertDenied(() -> iam.getRole(b -> b.roleName("reader")));
            state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "reader", "read-if-blue", READ_IF_BLUE));
            assertThat(iam.getRole(b -> b.roleName("reader")).role().roleName()).isEqualTo("reader");
        }
        try (IamClient rootIam = node.iam(RunningNode.root()); IamClient iam = node.iam(session)) {
            // Revoking the role's older sessions (AWSRevokeOlderSessions) denies this one from now on.
            rootIam.putRolePolicy(b -> b.roleName("reader").policyName("AWSRevokeOlderSessions").policyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
                     "Condition":{"DateLessThan":{"aws:TokenIssueTime":"2999-01-01T00:00:00Z"}}}]}"""));
            assertDenied(() -> iam.getRole(b -> b.roleName("reader")));
        }
    }

    @Test
    void aLongTermKeySeesItsUsersPolicyChangesOnItsNextRequest() throws Exception {
        var state = node.node.state();
        var key = state.createAccessKey(ACCOUNT, "alice");
        AwsCredentials alice = AwsBasicCredentials.create(key.accessKeyId(), key.secret().revealAsString());
        try (IamClient iam = node.iam(alice)) {
            assertThat(iam.getUser(b -> b.userName("alice")).user().userName()).isEqualTo("alice");
            state.apply(new Change.DeleteInlinePolicy(ACCOUNT, PrincipalKind.USER, "alice", "read-users"));
            assertDenied(() -> iam.getUser(b -> b.userName("alice")));
            state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "alice", "read-users", READ_USERS));
            assertThat(iam.getUser(b -> b.userName("alice")).user().userName()).isEqualTo("alice");
        }
    }

    private static void assertDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("AccessDenied"));
    }
}
