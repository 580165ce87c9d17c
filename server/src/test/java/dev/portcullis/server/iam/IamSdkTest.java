package dev.portcullis.server.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.CreateRoleResponse;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/** The IAM API on a running node, driven by the AWS SDK for Java v2 {@link IamClient}. */
class IamSdkTest {

    static final String ACCOUNT = "111122223333";
    static final String ROOT_KEY = "AKIAROOTEXAMPLE00002";
    static final String ROOT_SECRET = "rootSecretExampleKey0000000000000000002";
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"agents.example.internal\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String READ = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Read\", \"Effect\": \"Allow\","
            + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::results/*\"}]}";
    static final String IAM_READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"iam:Get*\",\"iam:List*\"],\"Resource\":\"*\"}]}";

    @TempDir
    static Path dir;
    static PortcullisNode node;
    static IamClient root;

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.toString()).load();
        node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, ROOT_KEY, PortcullisNode.ENV_ROOT_SECRET, ROOT_SECRET),
                parts -> List.of(new IamApi(parts.state())));
        root = client(AwsBasicCredentials.create(ROOT_KEY, ROOT_SECRET));
    }

    @AfterAll
    static void stop() {
        root.close();
        node.close();
    }

    static IamClient client(AwsCredentials credentials) {
        return IamClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + node.port()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build())
                .build();
    }

    static String code(Throwable t) {
        return ((AwsServiceException) t).awsErrorDetails().errorCode();
    }

    @Test
    void userLifecycleThroughTheSdk() {
        User created = root.createUser(b -> b.userName("sdk-alice").path("/sdk/")
                .tags(Tag.builder().key("team").value("layer-auth").build())).user();
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/sdk/sdk-alice");
        assertThat(created.createDate()).isNotNull();
        assertThat(root.getUser(b -> b.userName("sdk-alice")).user().tags())
                .containsExactly(Tag.builder().key("team").value("layer-auth").build());
        root.createUser(b -> b.userName("sdk-bob").path("/sdk/"));
        ListUsersResponse first = root.listUsers(b -> b.pathPrefix("/sdk/").maxItems(1));
        assertThat(first.users()).extracting(User::userName).containsExactly("sdk-alice");
        assertThat(first.isTruncated()).isTrue();
        ListUsersResponse second = root.listUsers(b -> b.pathPrefix("/sdk/").marker(first.marker()));
        assertThat(second.users()).extracting(User::userName).containsExactly("sdk-bob");
        assertThat(root.listUsersPaginator(b -> b.pathPrefix("/sdk/").maxItems(1)).users().stream()
                .map(User::userName).toList()).containsExactly("sdk-alice", "sdk-bob");

        assertThatThrownBy(() -> root.createUser(b -> b.userName("sdk-alice")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("EntityAlreadyExists"));
        assertThatThrownBy(() -> root.getUser(b -> b.userName("nobody")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NoSuchEntity"))
                .satisfies(t -> assertThat(((AwsServiceException) t).statusCode()).isEqualTo(404));
        root.deleteUser(b -> b.userName("sdk-bob"));
    }

    @Test
    void rolesPoliciesAndDocumentsRoundTrip() {
        CreateRoleResponse role = root.createRole(b -> b.roleName("sdk-executor").assumeRolePolicyDocument(TRUST)
                .description("runs jobs").maxSessionDuration(7200));
        assertThat(role.role().roleId()).startsWith("AROA");
        assertThat(URLDecoder.decode(root.getRole(b -> b.roleName("sdk-executor")).role().assumeRolePolicyDocument(),
                StandardCharsets.UTF_8)).isEqualTo(TRUST);
        root.putRolePolicy(b -> b.roleName("sdk-executor").policyName("read").policyDocument(READ));
        assertThat(URLDecoder.decode(root.getRolePolicy(b -> b.roleName("sdk-executor").policyName("read"))
                .policyDocument(), StandardCharsets.UTF_8)).isEqualTo(READ);
        String arn = root.createPolicy(b -> b.policyName("sdk-read").policyDocument(READ)).policy().arn();
        root.attachRolePolicy(b -> b.roleName("sdk-executor").policyArn(arn));
        assertThat(root.listAttachedRolePolicies(b -> b.roleName("sdk-executor")).attachedPolicies())
                .extracting(p -> p.policyArn()).containsExactly(arn);
        assertThat(root.createPolicyVersion(b -> b.policyArn(arn).policyDocument(READ).setAsDefault(true))
                .policyVersion().versionId()).isEqualTo("v2");
        assertThat(root.listPolicyVersions(b -> b.policyArn(arn)).versions()).hasSize(2);
        assertThatThrownBy(() -> root.deletePolicy(b -> b.policyArn(arn)))
                .satisfies(t -> assertThat(code(t)).isEqualTo("DeleteConflict"));

        GetAccountAuthorizationDetailsResponse details = root.getAccountAuthorizationDetails(b -> { });
        assertThat(details.roleDetailList()).anySatisfy(r -> {
            assertThat(r.roleName()).isEqualTo("sdk-executor");
            assertThat(r.rolePolicyList()).extracting(p -> p.policyName()).containsExactly("read");
        });
        assertThat(details.policies()).anySatisfy(p -> assertThat(p.policyVersionList()).hasSize(2));
    }

    @Test
    void accessKeysAndAUserCallingWithThem() {
        root.createUser(b -> b.userName("sdk-carol"));
        root.putUserPolicy(b -> b.userName("sdk-carol").policyName("iam-read").policyDocument(IAM_READ_ONLY));
        AccessKey key = root.createAccessKey(b -> b.userName("sdk-carol")).accessKey();
        assertThat(key.secretAccessKey()).hasSize(40);
        assertThat(root.listAccessKeys(b -> b.userName("sdk-carol")).accessKeyMetadata())
                .extracting(m -> m.accessKeyId()).containsExactly(key.accessKeyId());

        try (IamClient carol = client(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            assertThat(carol.getUser().user().userName()).isEqualTo("sdk-carol");
            assertThat(carol.listAccessKeys().accessKeyMetadata()).hasSize(1);
            assertThatThrownBy(() -> carol.createUser(b -> b.userName("sneaky")))
                    .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDenied"));
        }
        assertThat(root.getAccessKeyLastUsed(b -> b.accessKeyId(key.accessKeyId())).userName()).isEqualTo("sdk-carol");
    }

    @Test
    void requestTagsAndPolicyArnReachTheAuthorizer() {
        String tagged = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:CreateUser\","
                + "\"Resource\":\"arn:aws:iam::" + ACCOUNT + ":user/teams/*\",\"Condition\":{\"StringEquals\":"
                + "{\"aws:RequestTag/team\":\"layer-auth\"}}},{\"Effect\":\"Allow\",\"Action\":\"iam:AttachUserPolicy\","
                + "\"Resource\":\"*\",\"Condition\":{\"ArnLike\":{\"iam:PolicyARN\":\"arn:aws:iam::" + ACCOUNT
                + ":policy/approved/*\"}}}]}";
        root.createUser(b -> b.userName("sdk-admin"));
        root.putUserPolicy(b -> b.userName("sdk-admin").policyName("delegated").policyDocument(tagged));
        String approved = root.createPolicy(b -> b.policyName("sdk-approved").path("/approved/").policyDocument(READ))
                .policy().arn();
        String other = root.createPolicy(b -> b.policyName("sdk-other").policyDocument(READ)).policy().arn();
        AccessKey key = root.createAccessKey(b -> b.userName("sdk-admin")).accessKey();
        try (IamClient admin = client(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            admin.createUser(b -> b.userName("sdk-dave").path("/teams/")
                    .tags(Tag.builder().key("team").value("layer-auth").build()));
            assertThatThrownBy(() -> admin.createUser(b -> b.userName("sdk-erin").path("/teams/")
                    .tags(Tag.builder().key("team").value("other").build())))
                    .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDenied"));
            assertThatThrownBy(() -> admin.createUser(b -> b.userName("sdk-erin")))
                    .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDenied"));
            admin.attachUserPolicy(b -> b.userName("sdk-dave").policyArn(approved));
            assertThatThrownBy(() -> admin.attachUserPolicy(b -> b.userName("sdk-dave").policyArn(other)))
                    .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDenied"));
        }
        assertThatThrownBy(() -> root.createUser(b -> b.userName("bad name")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationError"))
                .hasMessageContaining("Value 'bad name' at 'userName' failed to satisfy constraint");
    }

    @Test
    void simulatorThroughTheSdk() {
        List<EvaluationResult> results = root.simulateCustomPolicy(b -> b.policyInputList(READ)
                .actionNames("s3:GetObject", "s3:PutObject").resourceArns("arn:aws:s3:::results/report.json")
                .contextEntries(ContextEntry.builder().contextKeyName("aws:SourceIp").contextKeyType(ContextKeyTypeEnum.IP)
                        .contextKeyValues("10.0.0.1").build())).evaluationResults();
        assertThat(results).extracting(EvaluationResult::evalDecision)
                .containsExactly(PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(results.get(0).matchedStatements()).singleElement().satisfies(s -> {
            assertThat(s.sourcePolicyId()).isEqualTo("PolicyInputList.1");
            assertThat(s.startPosition().line()).isEqualTo(1);
        });
        assertThat(root.getContextKeysForCustomPolicy(b -> b.policyInputList(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}}")).contextKeyNames())
                .containsExactly("aws:SourceIp");
    }
}
