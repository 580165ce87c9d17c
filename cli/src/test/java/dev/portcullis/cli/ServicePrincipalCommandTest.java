package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * {@code portcullis service-principal}: run in-process against the store of a node that is running meanwhile
 * (its own connections, like another process), which must then authenticate (or, once deleted, refuse) the key.
 */
class ServicePrincipalCommandTest {

    static final String ACCOUNT = "111122223333";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    PortcullisNode node;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cmd = Portcullis.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void startNode() throws IOException {
        ServicePrincipalCommand.env = Map.of(); // the machine's PORTCULLIS_* must not pick another store
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", data.toString()).load();
        node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, "AKIAROOTEXAMPLE00001",
                PortcullisNode.ENV_ROOT_SECRET, "rootSecretExampleKey0000000000000000000"), ServeCommand.Apis::standard);
    }

    @AfterEach
    void stopNode() {
        ServicePrincipalCommand.env = System.getenv();
        node.close();
    }

    private StsClient sts(String accessKeyId, String secret) {
        return StsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + node.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build())
                .build();
    }

    @Test
    void createsAServicePrincipalThatTheRunningNodeAuthenticatesAndPrintsItsKeyOnce() throws Exception {
        Run created = run("service-principal", "create", "bedrock.amazonaws.com", "--may-assert-source",
                "--account", ACCOUNT, "--data-dir", data.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        JsonNode printed = JSON.readTree(created.out());
        JsonNode sp = printed.get("ServicePrincipal");
        assertThat(sp.get("ServiceName").asText()).isEqualTo("bedrock.amazonaws.com");
        assertThat(sp.get("AccountId").asText()).isEqualTo(ACCOUNT);
        assertThat(sp.get("MayAssertSource").asBoolean()).isTrue();
        String keyId = sp.get("AccessKeyId").asText();
        String secret = sp.get("SecretAccessKey").asText();
        assertThat(keyId).matches("AKIA[A-Z0-9]{16}");
        assertThat(secret).hasSize(40);

        // The node reads the log another writer appended (on SQLite, at its next poll), then accepts the key.
        assertThat(node.state().awaitSequence(printed.get("Sequence").asLong(), Duration.ofSeconds(30))).isTrue();
        assertThat(node.state().view().servicePrincipal("bedrock.amazonaws.com")).isPresent();
        try (StsClient sts = sts(keyId, secret)) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("bedrock.amazonaws.com");
        }

        // The change is audited in the command's own chain, without the secret; the node never saw the secret.
        List<Path> segments;
        try (Stream<Path> files = Files.list(data.resolve("audit").resolve("segments"))) {
            segments = files.toList();
        }
        String trail = String.join("\n", segments.stream().map(ServicePrincipalCommandTest::read).toList());
        assertThat(trail).doesNotContain(secret);
        assertThat(segments.stream().filter(p -> p.getFileName().toString().startsWith("cli-"))
                .map(ServicePrincipalCommandTest::read))
                .anySatisfy(s -> assertThat(s).contains("\"eventName\":\"CreateServicePrincipal\"").contains(keyId));
        assertThat(created.err()).doesNotContain(secret);

        Run listed = run("service-principal", "list", "--data-dir", data.toString());
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("\"ServiceName\" : \"bedrock.amazonaws.com\"").contains(keyId)
                .doesNotContain(secret).doesNotContain("SecretAccessKey");
    }

    @Test
    void refusesADuplicateNameAndAnUnknownAccountWithoutPrintingAKey() {
        Run first = run("service-principal", "create", "agents.example.internal", "--data-dir", data.toString());
        assertThat(first.exit()).as(first.err()).isZero(); // the store's only account by default
        assertThat(first.out()).contains("\"AccountId\" : \"" + ACCOUNT + "\"").contains("\"MayAssertSource\" : false");

        Run again = run("service-principal", "create", "agents.example.internal", "--data-dir", data.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).contains("EntityAlreadyExists")
                .contains("Service principal with name agents.example.internal already exists.");

        Run unknown = run("service-principal", "create", "lambda.amazonaws.com", "--account", "444455556666",
                "--data-dir", data.toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("NoSuchEntity: The account with id 444455556666 cannot be found.");

        Run badName = run("service-principal", "create", "not a service name", "--data-dir", data.toString());
        assertThat(badName.exit()).isEqualTo(1);
        assertThat(badName.out()).isEmpty();
        assertThat(badName.err()).contains("ValidationError");
    }

    @Test
    void opensOnlyAnExistingStoreWithItsKeyring(@TempDir Path elsewhere) throws IOException {
        Run none = run("service-principal", "create", "bedrock.amazonaws.com", "--data-dir", elsewhere.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no Portcullis store at " + elsewhere.resolve("portcullis.db").toAbsolutePath());
        assertThat(elsewhere.resolve("portcullis.db")).doesNotExist();
        assertThat(elsewhere.resolve("keyring.json")).doesNotExist();

        Run noKeyring = run("service-principal", "create", "bedrock.amazonaws.com", "--data-dir", data.toString(),
                "--keyring-file", elsewhere.resolve("missing.json").toString());
        assertThat(noKeyring.exit()).isEqualTo(2);
        assertThat(noKeyring.err()).contains("no keyring at " + elsewhere.resolve("missing.json").toAbsolutePath());
        assertThat(node.state().view().servicePrincipals()).isEmpty();
    }

    @Test
    void deletingTheServicePrincipalMakesTheRunningNodeRefuseItsKey() throws Exception {
        JsonNode created = JSON.readTree(run("service-principal", "create", "bedrock.amazonaws.com",
                "--data-dir", data.toString()).out());
        String keyId = created.get("ServicePrincipal").get("AccessKeyId").asText();
        String secret = created.get("ServicePrincipal").get("SecretAccessKey").asText();

        Run deleted = run("service-principal", "delete", "bedrock.amazonaws.com", "--data-dir", data.toString());
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(node.state().awaitSequence(JSON.readTree(deleted.out()).get("Sequence").asLong(),
                Duration.ofSeconds(30))).isTrue();
        try (StsClient sts = sts(keyId, secret)) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
        }

        Run missing = run("service-principal", "delete", "bedrock.amazonaws.com", "--data-dir", data.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("NoSuchEntity");
    }

    @Test
    void commandsOnOneHostTakeTurnsWritingOneChainWithOneKey() throws Exception {
        for (String service : List.of("bedrock.amazonaws.com", "lambda.amazonaws.com", "events.amazonaws.com")) {
            Run created = run("service-principal", "create", service, "--data-dir", data.toString());
            assertThat(created.exit()).as(created.err()).isZero();
        }
        Run keys = run("audit", "public-key", "--all", "--data-dir", data.toString());
        assertThat(keys.exit()).as(keys.err()).isZero();
        List<String> cliKeys = keys.out().lines().filter(l -> l.startsWith("# node cli-")).toList();
        assertThat(cliKeys).as(keys.out()).hasSize(1);  // not one chain and key per invocation

        Path pem = data.resolve("keys.pem");
        Files.writeString(pem, keys.out());
        Run verified = run("audit", "verify", "--data-dir", data.toString(), "--public-key", pem.toString());
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();

        // While one command holds the host's chain, another writes a chain of its own rather than wait or share.
        ServerConfig config = new ConfigLoader().flag("data-dir", data.toString()).load();
        try (NodeStore.ChainLock first = NodeStore.ChainLock.acquire(config);
             NodeStore.ChainLock second = NodeStore.ChainLock.acquire(config)) {
            assertThat(first.nodeId()).startsWith("cli-").doesNotEndWith("-" + ProcessHandle.current().pid());
            assertThat(second.nodeId()).isEqualTo(first.nodeId() + "-" + ProcessHandle.current().pid());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
