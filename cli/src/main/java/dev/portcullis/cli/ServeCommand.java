package dev.portcullis.cli;

import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigException;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis serve}: runs a node until interrupted. Settings come from defaults, {@code --config},
 * {@code PORTCULLIS_*} variables and these flags, in that order (see {@link ConfigLoader}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run Portcullis: the IAM- and STS-compatible API on an embedded SQLite store by default.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings file")
    Path configFile;

    @Option(names = "--port", description = "API port (default ${DEFAULT-VALUE} unless set elsewhere)")
    Integer port;

    @Option(names = "--host", description = "address to bind (default 127.0.0.1)")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "store, keyring and audit directory (default ./portcullis-data)")
    Path dataDir;

    @Option(names = "--region", description = "region this deployment answers for (default us-east-1)")
    String region;

    @Option(names = "--store-url", paramLabel = "JDBC_URL", description = "jdbc:postgresql://… for cluster mode")
    String storeUrl;

    @Option(names = "--store-schema", description = "PostgreSQL schema of the cluster's store and audit table (default portcullis)")
    String storeSchema;

    @Option(names = "--node-id", description = "this node's id, naming its audit chain and signing key (default: kept in <data-dir>/node-id)")
    String nodeId;

    @Option(names = "--audit-export", paramLabel = "stdout|FILE",
            description = "also write every audit record as a JSON line to stdout or append it to FILE, for a log shipper")
    String auditExport;

    @Option(names = "--audit-overflow-api", paramLabel = "fail-closed|buffer",
            description = "when the audit trail fails or falls behind, the IAM, STS and admin APIs refuse requests with 503"
                    + " (fail-closed, the default) or keep admitting until the audit queue is full (buffer)")
    String auditOverflowApi;

    @Option(names = "--audit-overflow-gateway", paramLabel = "fail-closed|buffer",
            description = "the same for gateway invocations (default buffer)")
    String auditOverflowGateway;

    @Option(names = "--demo", description = "load the reference scenario data and print ready-to-paste commands")
    boolean demo;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config;
        try {
            ConfigLoader loader = new ConfigLoader();
            if (configFile != null) {
                loader.file(configFile);
            }
            config = loader.environment(System.getenv())
                    .flag("port", port).flag("host", host).flag("data-dir", dataDir).flag("region", region)
                    .flag("store-url", storeUrl).flag("store-schema", storeSchema).flag("node-id", nodeId).flag("audit-export", auditExport)
                    .flag("audit-overflow-api", auditOverflowApi).flag("audit-overflow-gateway", auditOverflowGateway)
                    .flag("demo", demo ? Boolean.TRUE : null)
                    .load();
        } catch (ConfigException e) {
            err.println("portcullis: " + e.getMessage());
            return 2;
        }
        PortcullisNode node;
        try {
            java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
            if (config.demo()) {
                // The demo's commands name one well-known example account.
                env.putIfAbsent(PortcullisNode.ENV_ACCOUNT_ID, "111122223333");
            }
            node = PortcullisNode.start(config, env, Apis::standard);
        } catch (IOException | RuntimeException e) {
            err.println("portcullis: cannot start: " + e.getMessage());
            return 1;
        }
        String endpoint = (config.tls() ? "https" : "http") + "://" + config.host() + ":" + node.port();
        out.println("Portcullis is listening on " + endpoint + " (account " + node.accountId() + ", region "
                + config.region() + ", data in " + config.dataDir().toAbsolutePath() + ")");
        node.generatedRootKey().ifPresent(key -> {
            out.println();
            out.println("The account root's access key was created. It is shown this once; store it now:");
            out.println("  export AWS_ACCESS_KEY_ID=" + key.accessKeyId());
            out.println("  export AWS_SECRET_ACCESS_KEY=" + key.secret().revealAsString());
        });
        if (config.demo()) {
            Demo.load(node, out, endpoint);
        } else {
            out.println();
            out.println("Try: aws --endpoint-url " + endpoint + " sts get-caller-identity");
        }
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "portcullis-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The APIs a standard node serves besides STS. */
    static final class Apis {
        private Apis() {
        }

        static List<dev.portcullis.server.pipeline.QueryApi> standard(PortcullisNode.Parts parts) {
            return List.of(new dev.portcullis.server.iam.IamApi(parts.state(), parts.access()));
        }
    }
}
