package dev.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.iam.IamApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.CreateRoleResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Every change applied through the IAM API leaves two events in the node's segment files: the request's
 * ({@code iam.amazonaws.com}) and the change's ({@code portcullis}), joined by the request id, with no
 * secret in either.
 */
class ChangeAuditIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = RunningNode.ACCOUNT;
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String IAM_AND_ASSUME = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"iam:*\",\"sts:AssumeRole\"],\"Resource\":\"*\"}]}";

    @TempDir
    static Path dir;
    static RunningNode node;

    @BeforeAll
    static void start() throws Exception {
        node = new RunningNode(dir, parts -> List.of(new IamApi(parts.state())));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void eachChangeIsAuditedOnceBesideItsRequestWithTheCallerAndNoSecret() throws Exception {
        List<String> secrets = new ArrayList<>();
        String roleRequest;
        AccessKey key;
        try (IamClient root = node.iam(RunningNode.root())) {
            CreateRoleResponse role = root.createRole(b -> b.roleName("change-auditor").assumeRolePolicyDocument(TRUST));
            roleRequest = role.responseMetadata().requestId();
            root.putRolePolicy(b -> b.roleName("change-auditor").policyName("iam").policyDocument(IAM_AND_ASSUME));
            root.createUser(b -> b.userName("carol"));
            root.putUserPolicy(b -> b.userName("carol").policyName("iam").policyDocument(IAM_AND_ASSUME));
            key = root.createAccessKey(b -> b.userName("carol")).accessKey();
            secrets.add(key.secretAccessKey());
        }
        Credentials session;
        try (StsClient sts = node.sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            session = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/change-auditor")
                    .roleSessionName("audit-check")).credentials();
            secrets.add(session.secretAccessKey());
            secrets.add(session.sessionToken());
        }
        String groupRequest;
        try (IamClient assumed = node.iam(RunningNode.session(session))) {
            groupRequest = assumed.createGroup(b -> b.groupName("auditors")).responseMetadata().requestId();
        }

        JsonNode roleCall = event(e -> roleRequest.equals(e.path("requestID").asText())
                && e.path("eventSource").asText().equals("iam.amazonaws.com"));
        JsonNode roleChange = event(e -> roleRequest.equals(e.path("requestID").asText())
                && e.path("eventSource").asText().equals("portcullis"));
        assertThat(roleCall.path("eventName").asText()).isEqualTo("CreateRole");
        assertThat(roleChange.path("eventName").asText()).isEqualTo("CreateRole");
        assertThat(roleChange.path("readOnly").asBoolean(true)).isFalse();
        assertThat(roleChange.path("userIdentity").path("type").asText()).isEqualTo("Root");
        assertThat(roleChange.path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
        assertThat(roleChange.path("requestParameters").path("roleName").asText()).isEqualTo("change-auditor");
        assertThat(roleChange.path("requestParameters").path("roleId").asText()).startsWith("AROA");
        assertThat(roleChange.path("responseElements").path("sequence").asLong()).isPositive();

        // The request events of changes carry what was answered, as CloudTrail's responseElements.
        assertThat(roleCall.path("responseElements").path("role").path("roleName").asText()).isEqualTo("change-auditor");
        assertThat(roleCall.path("responseElements").path("role").path("arn").asText())
                .isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/change-auditor");
        JsonNode keyCall = event(e -> e.path("eventSource").asText().equals("iam.amazonaws.com")
                && e.path("eventName").asText().equals("CreateAccessKey"));
        assertThat(keyCall.path("responseElements").path("accessKey").path("accessKeyId").asText())
                .isEqualTo(key.accessKeyId());
        assertThat(keyCall.path("responseElements").path("accessKey").path("secretAccessKey").asText())
                .isEqualTo("HIDDEN_DUE_TO_SECURITY_REASONS");
        JsonNode assumeCall = event(e -> e.path("eventSource").asText().equals("sts.amazonaws.com")
                && e.path("eventName").asText().equals("AssumeRole"));
        assertThat(assumeCall.path("responseElements").path("credentials").path("accessKeyId").asText())
                .isEqualTo(session.accessKeyId());
        assertThat(assumeCall.path("responseElements").path("assumedRoleUser").path("arn").asText())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/change-auditor/audit-check");
        JsonNode emptyAnswer = event(e -> e.path("eventSource").asText().equals("iam.amazonaws.com")
                && e.path("eventName").asText().equals("PutRolePolicy"));
        assertThat(emptyAnswer.has("responseElements")).isFalse();

        JsonNode keyChange = event(e -> e.path("eventSource").asText().equals("portcullis")
                && e.path("eventName").asText().equals("CreateAccessKey")
                && key.accessKeyId().equals(e.path("requestParameters").path("accessKeyId").asText()));
        assertThat(keyChange.path("requestParameters").has("sealedSecret")).isFalse();
        assertThat(keyChange.path("requestParameters").path("userName").asText()).isEqualTo("carol");

        JsonNode groupChange = event(e -> groupRequest.equals(e.path("requestID").asText())
                && e.path("eventSource").asText().equals("portcullis"));
        assertThat(groupChange.path("eventName").asText()).isEqualTo("CreateGroup");
        assertThat(groupChange.path("userIdentity").path("type").asText()).isEqualTo("AssumedRole");
        assertThat(groupChange.path("userIdentity").path("arn").asText())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/change-auditor/audit-check");
        assertThat(events(e -> groupRequest.equals(e.path("requestID").asText()))).hasSize(2);

        // The first start's account and imported root key were audited too, before any request.
        assertThat(events(e -> e.path("eventSource").asText().equals("portcullis")
                && e.path("eventName").asText().equals("CreateAccount"))).hasSize(1);

        String all = String.join("\n", lines());
        for (String secret : secrets) {
            assertThat(all).doesNotContain(secret);
        }
        assertThat(all).doesNotContain(RunningNode.ROOT_SECRET).doesNotContain("sealedSecret");
    }

    /** The one event matching {@code p}, waiting for the recorder's writer. */
    static JsonNode event(Predicate<JsonNode> p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<JsonNode> found = events(p);
            if (found.size() == 1) {
                return found.get(0);
            }
            assertThat(found).as("events matching").hasSizeLessThanOrEqualTo(1);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit event found");
            }
            Thread.sleep(50);
        }
    }

    static List<JsonNode> events(Predicate<JsonNode> p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines()) {
            JsonNode record = JSON.readTree(line);
            if (record.has("event") && p.test(record.get("event"))) {
                out.add(record.get("event"));
            }
        }
        return out;
    }

    static List<String> lines() throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("audit"))) {
            files = s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        }
        return out;
    }
}
