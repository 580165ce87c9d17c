package dev.portcullis.server.it;

import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.pipeline.QueryApi;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** A Portcullis node on a temporary data directory, with SDK clients pointed at it. */
final class RunningNode implements AutoCloseable {

    static final String ACCOUNT = "111122223333";
    static final String ROOT_KEY = "AKIAROOTEXAMPLE00001";
    static final String ROOT_SECRET = "rootSecretExampleKey0000000000000000000";

    final PortcullisNode node;
    final URI endpoint;

    RunningNode(Path dataDir, Function<PortcullisNode.Parts, List<QueryApi>> apis) throws Exception {
        this(new ConfigLoader().flag("port", 0).flag("data-dir", dataDir.toString()).load(), apis);
    }

    RunningNode(ServerConfig config, Function<PortcullisNode.Parts, List<QueryApi>> apis) throws Exception {
        node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, ROOT_KEY, PortcullisNode.ENV_ROOT_SECRET, ROOT_SECRET), apis);
        endpoint = URI.create("http://127.0.0.1:" + node.port());
    }

    RunningNode(Path dataDir) throws Exception {
        this(dataDir, parts -> List.of());
    }

    StsClient sts(AwsCredentials credentials, ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none());
        for (ExecutionInterceptor i : interceptors) {
            o.addExecutionInterceptor(i);
        }
        return StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o.build()).build();
    }

    IamClient iam(AwsCredentials credentials) {
        return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build())
                .build();
    }

    static AwsCredentials root() {
        return AwsBasicCredentials.create(ROOT_KEY, ROOT_SECRET);
    }

    static AwsCredentials session(Credentials c) {
        return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    @Override
    public void close() {
        node.close();
    }
}
