package dev.portcullis.server.it;

import static dev.portcullis.server.it.RunningNode.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.state.NewAccessKey;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.AccessKeyStatus;
import dev.portcullis.state.model.PrincipalKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.Tag;

/** STS against a running node, driven by the AWS SDK for Java v2. */
class StsIntegrationTest {

    private static final String TRUST_ACCOUNT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
             "Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}""";
    private static final String TRUST_ALICE_WITH_EXTERNAL_ID = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
             "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"order-7731"}}}]}""";
    private static final String TRUST_BEDROCK = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},
             "ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:111122223333:agent/*"}}}]}""";
    private static final String ALLOW_ASSUME = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession"],"Resource":"*"}]}""";

    @TempDir
    static Path dir;
    static RunningNode node;
    static AwsCredentials alice;
    static AwsCredentials bob;
    static AwsCredentials bedrock;

    @BeforeAll
    static void start() throws Exception {
        node = new RunningNode(dir);
        var state = node.node.state();
        state.apply(Change.CreateUser.of(ACCOUNT, "alice", "/"));
        state.apply(Change.CreateUser.of(ACCOUNT, "bob", "/"));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "alice", "assume", ALLOW_ASSUME));
        alice = credentials(state.createAccessKey(ACCOUNT, "alice"));
        bob = credentials(state.createAccessKey(ACCOUNT, "bob"));
        state.apply(Change.CreateRole.of(ACCOUNT, "deployer", "/ops/", TRUST_ACCOUNT));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "deployer", "chain", ALLOW_ASSUME));
        state.apply(Change.CreateRole.of(ACCOUNT, "partner-reader", "/", TRUST_ALICE_WITH_EXTERNAL_ID));
        state.apply(Change.CreateRole.of(ACCOUNT, "AutoNinjaRequirementsAnalystAgentRole-dev", "/service-role/", TRUST_BEDROCK));
        state.apply(Change.CreateRole.of(ACCOUNT, "bedrock-tagged", "/", TRUST_BEDROCK.replace("\"sts:AssumeRole\"",
                "[\"sts:AssumeRole\",\"sts:TagSession\"]")));
        state.apply(Change.CreateRole.of(ACCOUNT, "bedrock-open", "/", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
                 "Action":"sts:AssumeRole"}]}"""));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "bedrock-open", "for-agents-only", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
                 "Resource":"arn:aws:iam::111122223333:role/ops/deployer",
                 "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:111122223333:agent/*"}}}]}"""));
        bedrock = credentials(state.createServicePrincipal("bedrock.amazonaws.com", ACCOUNT, true));
        // A second account whose principals the first account's role trusts.
        state.apply(Change.CreateAccount.of("444455556666"));
        state.apply(Change.CreateUser.of("444455556666", "carol", "/"));
        state.apply(Change.CreateUser.of("444455556666", "dave", "/"));
        state.apply(new Change.PutInlinePolicy("444455556666", PrincipalKind.USER, "carol", "assume-partner", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
                 "Resource":"arn:aws:iam::111122223333:role/cross-reader"}]}"""));
        carol = credentials(state.createAccessKey("444455556666", "carol"));
        dave = credentials(state.createAccessKey("444455556666", "dave"));
        state.apply(Change.CreateRole.of(ACCOUNT, "cross-reader", "/", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["444455556666"]},"Action":"sts:AssumeRole"}]}"""));
        state.apply(Change.CreateRole.of(ACCOUNT, "carol-only", "/", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/carol"},"Action":"sts:AssumeRole"}]}"""));
    }

    static AwsCredentials carol;
    static AwsCredentials dave;

    @Test
    void crossAccountAssumeRoleNeedsBothTheTrustPolicyAndTheCallersIdentityPolicy() {
        try (StsClient sts = node.sts(carol)) {
            assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/cross-reader")
                    .roleSessionName("carol")).assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::111122223333:assumed-role/cross-reader/carol");
            // Named by the trust policy, but carol's own policy does not allow this role: cross-account needs both.
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/carol-only")
                    .roleSessionName("carol")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        }
        try (StsClient sts = node.sts(dave)) {
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/cross-reader")
                    .roleSessionName("dave")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                    .hasMessageContaining("arn:aws:iam::444455556666:user/dave");
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static AwsCredentials credentials(NewAccessKey key) {
        return AwsBasicCredentials.create(key.accessKeyId(), key.secret().revealAsString());
    }

    private static String code(Throwable t) {
        return ((AwsServiceException) t).awsErrorDetails().errorCode();
    }

    private static int status(Throwable t) {
        return ((AwsServiceException) t).statusCode();
    }

    @Test
    void anIamClientOnTheAwsGlobalRegionIsAcceptedBecauseIamIsGlobal() throws Exception {
        try (RunningNode withIam = new RunningNode(dir.resolve("with-iam"),
                parts -> java.util.List.of(new dev.portcullis.server.iam.IamApi(parts.state())));
             var iam = withIam.iam(RunningNode.root())) {
            assertThat(iam.createUser(b -> b.userName("global-ok")).user().arn())
                    .isEqualTo("arn:aws:iam::111122223333:user/global-ok");
        }
    }

    @Test
    void getCallerIdentityReportsTheRootUser() {
        try (StsClient sts = node.sts(RunningNode.root())) {
            GetCallerIdentityResponse me = sts.getCallerIdentity();
            assertThat(me.arn()).isEqualTo("arn:aws:iam::111122223333:root");
            assertThat(me.account()).isEqualTo(ACCOUNT);
            assertThat(me.userId()).isEqualTo(ACCOUNT);
        }
    }

    @Test
    void rejectsAWrongSecretAndAnUnknownKeyWithAwsCodes() {
        try (StsClient sts = node.sts(AwsBasicCredentials.create(RunningNode.ROOT_KEY, "wrong" + RunningNode.ROOT_SECRET))) {
            assertThatThrownBy(sts::getCallerIdentity)
                    .satisfies(e -> assertThat(code(e)).isEqualTo("SignatureDoesNotMatch"))
                    .satisfies(e -> assertThat(status(e)).isEqualTo(403));
        }
        try (StsClient sts = node.sts(AwsBasicCredentials.create("AKIAUNKNOWNEXAMPLE00", RunningNode.ROOT_SECRET))) {
            assertThatThrownBy(sts::getCallerIdentity)
                    .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidClientTokenId"))
                    .hasMessageContaining("The security token included in the request is invalid.");
        }
    }

    @Test
    void assumesARoleWhoseTrustPolicyNamesTheAccountWhenTheIdentityPolicyAllowsIt() {
        try (StsClient sts = node.sts(alice)) {
            AssumeRoleResponse r = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("deploy-42").durationSeconds(900).tags(Tag.builder().key("team").value("platform").build()));
            assertThat(r.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/deployer/deploy-42");
            assertThat(r.credentials().accessKeyId()).startsWith("ASIA");
            assertThat(r.credentials().expiration()).isAfter(Instant.now().plusSeconds(800));
            try (StsClient session = node.sts(RunningNode.session(r.credentials()))) {
                GetCallerIdentityResponse me = session.getCallerIdentity();
                assertThat(me.arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/deployer/deploy-42");
                assertThat(me.userId()).endsWith(":deploy-42").startsWith("AROA");
            }
        }
    }

    @Test
    void deniesTheAccountRootTrustWhenTheCallersIdentityPolicyDoesNotAllow() {
        try (StsClient sts = node.sts(bob)) {
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("bob")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                    .satisfies(e -> assertThat(status(e)).isEqualTo(403))
                    .hasMessageContaining("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole");
        }
    }

    @Test
    void aTrustPolicyNamingTheUserSufficesAndItsExternalIdConditionIsEnforced() {
        try (StsClient sts = node.sts(bob)) {
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/partner-reader")
                    .roleSessionName("bob").externalId("order-7731")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        }
        try (StsClient sts = node.sts(alice)) {
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/partner-reader")
                    .roleSessionName("alice").externalId("wrong-id")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
            assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/partner-reader")
                    .roleSessionName("alice").externalId("order-7731")).assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::111122223333:assumed-role/partner-reader/alice");
        }
    }

    @Test
    void aServicePrincipalAssumesOnlyForTheSourceItIsAllowedToActFor() {
        assertThat(assumeAsBedrock("111122223333", "arn:aws:bedrock:us-east-1:111122223333:agent/REQANALYST").assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/AutoNinjaRequirementsAnalystAgentRole-dev/bedrock-session");
        // The confused deputy: the same service acting for another account's agent is denied.
        assertThatThrownBy(() -> assumeAsBedrock("444455556666", "arn:aws:bedrock:us-east-1:444455556666:agent/EVIL"))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        assertThatThrownBy(() -> assumeAsBedrock("111122223333", "arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB1"))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
    }

    @Test
    void aServiceActingForItsSourceMayTagTheSessionUnderAConfusedDeputyTrustPolicy() {
        ExecutionInterceptor assertSource = new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                return context.httpRequest().toBuilder()
                        .putHeader("x-portcullis-source-account", ACCOUNT)
                        .putHeader("x-portcullis-source-arn", "arn:aws:bedrock:us-east-1:111122223333:agent/TAGGER").build();
            }
        };
        try (StsClient sts = node.sts(bedrock, assertSource)) {
            // sts:TagSession is authorized with the same signed source as sts:AssumeRole.
            assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/bedrock-tagged")
                    .roleSessionName("tagged").tags(Tag.builder().key("agent").value("tagger").build()))
                    .assumedRoleUser().arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/bedrock-tagged/tagged");
        }
    }

    @Test
    void onlyASignedSourceTravelsWithTheSession() throws Exception {
        String agent = "arn:aws:bedrock:us-east-1:111122223333:agent/REQANALYST";
        // Signed: the session carries aws:SourceArn, which the role's policy requires.
        String signedXml = assumeRawAsBedrock("bedrock-open", agent, true);
        try (StsClient sts = node.sts(sessionFrom(signedXml))) {
            assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("chained")).assumedRoleUser().arn()).endsWith(":assumed-role/deployer/chained");
        }
        // The same header added after signing: the assume succeeds (the trust needs no source) but the
        // session carries no aws:SourceArn.
        String unsignedXml = assumeRawAsBedrock("bedrock-open", agent, false);
        try (StsClient sts = node.sts(sessionFrom(unsignedXml))) {
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("chained"))).satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        }
    }

    /** AssumeRole by bedrock over raw HTTP, with the source ARN header signed or added after signing. */
    private String assumeRawAsBedrock(String role, String sourceArn, boolean signHeader) throws Exception {
        byte[] body = ("Action=AssumeRole&Version=2011-06-15&RoleSessionName=raw&RoleArn="
                + java.net.URLEncoder.encode("arn:aws:iam::111122223333:role/" + role, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().uri(node.endpoint.resolve("/"))
                .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-www-form-urlencoded");
        if (signHeader) {
            req.putHeader("x-portcullis-source-arn", sourceArn);
        }
        SdkHttpRequest unsigned = req.build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(bedrock).request(unsigned)
                .payload(software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(body))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(node.endpoint.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("host")) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        if (!signHeader) {
            b.header("x-portcullis-source-arn", sourceArn);
        }
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static AwsCredentials sessionFrom(String assumeRoleXml) {
        java.util.function.Function<String, String> element = name -> {
            int start = assumeRoleXml.indexOf("<" + name + ">") + name.length() + 2;
            return assumeRoleXml.substring(start, assumeRoleXml.indexOf("</" + name + ">", start));
        };
        return software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(element.apply("AccessKeyId"),
                element.apply("SecretAccessKey"), element.apply("SessionToken"));
    }

    private AssumeRoleResponse assumeAsBedrock(String sourceAccount, String sourceArn) {
        ExecutionInterceptor assertSource = new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                return context.httpRequest().toBuilder()
                        .putHeader("x-portcullis-source-account", sourceAccount)
                        .putHeader("x-portcullis-source-arn", sourceArn).build();
            }
        };
        try (StsClient sts = node.sts(bedrock, assertSource)) {
            return sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/service-role/AutoNinjaRequirementsAnalystAgentRole-dev")
                    .roleSessionName("bedrock-session"));
        }
    }

    @Test
    void sessionPoliciesNarrowAndRoleChainingIsLimitedToOneHour() {
        String denyAssume = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        try (StsClient sts = node.sts(alice)) {
            var narrowed = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("narrow").policy(denyAssume)).credentials();
            try (StsClient session = node.sts(RunningNode.session(narrowed))) {
                assertThatThrownBy(() -> session.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                        .roleSessionName("chained")))
                        .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
            }
            var wide = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("wide")).credentials();
            try (StsClient session = node.sts(RunningNode.session(wide))) {
                assertThatThrownBy(() -> session.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                        .roleSessionName("chained").durationSeconds(7200)))
                        .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"))
                        .hasMessageContaining("1 hour session limit");
                assertThat(session.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                        .roleSessionName("chained")).assumedRoleUser().arn()).endsWith("/deployer/chained");
            }
        }
    }

    @Test
    void revokedSessionsAreDeniedAndNewOnesAreNot() throws Exception {
        try (StsClient sts = node.sts(alice)) {
            var before = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("old")).credentials();
            Thread.sleep(5);
            node.node.state().apply(new Change.RevokeRoleSessions(ACCOUNT, "deployer", Instant.now()));
            try (StsClient old = node.sts(RunningNode.session(before))) {
                assertThatThrownBy(() -> old.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                        .roleSessionName("again")))
                        .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                        .hasMessageContaining("explicit deny");
            }
            Thread.sleep(5);
            var after = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("new")).credentials();
            try (StsClient fresh = node.sts(RunningNode.session(after))) {
                assertThat(fresh.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                        .roleSessionName("again")).assumedRoleUser().arn()).endsWith("/again");
            }
        }
    }

    @Test
    void aSessionOfADeletedRoleKeepsNoPermissions() throws Exception {
        var state = node.node.state();
        state.apply(Change.CreateRole.of(ACCOUNT, "short-lived", "/", TRUST_ACCOUNT));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "short-lived", "chain", ALLOW_ASSUME));
        try (StsClient sts = node.sts(alice)) {
            var c = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/short-lived").roleSessionName("s")
                    .roleSessionName("gone-soon")).credentials();
            state.apply(new Change.DeleteInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "short-lived", "chain"));
            state.apply(new Change.DeleteRole(ACCOUNT, "short-lived"));
            try (StsClient orphan = node.sts(RunningNode.session(c))) {
                assertThatThrownBy(() -> orphan.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                        .roleSessionName("again")))
                        .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
            }
        }
    }

    @Test
    void aDeactivatedKeyIsRefusedAndATamperedTokenIsInvalid() throws Exception {
        NewAccessKey key = node.node.state().createAccessKey(ACCOUNT, "bob");
        AwsCredentials second = credentials(key);
        try (StsClient sts = node.sts(second)) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/bob");
            node.node.state().apply(new Change.UpdateAccessKey(ACCOUNT, "bob", key.accessKeyId(), AccessKeyStatus.Inactive));
            assertThatThrownBy(sts::getCallerIdentity).satisfies(e -> assertThat(code(e)).isEqualTo("InvalidClientTokenId"));
        }
        try (StsClient sts = node.sts(alice)) {
            var c = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer").roleSessionName("tamper")).credentials();
            String token = c.sessionToken();
            String tampered = token.substring(0, 40) + (token.charAt(40) == 'A' ? 'B' : 'A') + token.substring(41);
            try (StsClient bad = node.sts(software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), tampered))) {
                assertThatThrownBy(bad::getCallerIdentity).satisfies(e -> assertThat(code(e)).isEqualTo("InvalidClientTokenId"));
            }
        }
    }

    @Test
    void getSessionTokenIssuesUserSessionsButNotToSessions() {
        try (StsClient sts = node.sts(alice)) {
            var c = sts.getSessionToken(b -> b.durationSeconds(900)).credentials();
            try (StsClient session = node.sts(RunningNode.session(c))) {
                assertThat(session.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/alice");
                assertThatThrownBy(() -> session.getSessionToken()).satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
            }
        }
    }

    @Test
    void answersBadInputWithAwsErrorCodesAndStatuses() throws Exception {
        try (StsClient sts = node.sts(alice)) {
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer").roleSessionName("x")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"))
                    .satisfies(e -> assertThat(status(e)).isEqualTo(400));
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ops/deployer")
                    .roleSessionName("ok-name").policy("{not json")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("MalformedPolicyDocument"));
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/does-not-exist")
                    .roleSessionName("ok-name")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(node.endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>").contains("<RequestId>");
        // The body limit is enforced from Content-Length before any body byte is read: a raw socket
        // announces 2 MiB and reads the answer without sending them (an HTTP client that is still
        // sending when the server answers and closes may report a broken pipe instead of the 413).
        try (java.net.Socket socket = new java.net.Socket(node.endpoint.getHost(), node.endpoint.getPort())) {
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + (2 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        }
        // Headers over the listener's 64 KiB limit never reach a handler, yet are answered in AWS's shape.
        try (java.net.Socket socket = new java.net.Socket(node.endpoint.getHost(), node.endpoint.getPort())) {
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: " + "a".repeat(70_000)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("<Code>MalformedRequest</Code>")
                    .contains("<RequestId>");
        }
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(node.endpoint.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"status\":\"ok\"");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(node.endpoint + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("portcullis_requests_seconds_count");
        assertThat(Map.of()).isEmpty();
    }
}
