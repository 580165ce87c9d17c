package dev.portcullis.cli.audit;

import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The node settings the audit commands need, resolved like {@code portcullis serve} resolves them:
 * defaults, {@code --config}, {@code PORTCULLIS_*} variables, then these flags.
 */
final class NodeOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "The node's YAML settings file.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The node's data directory (default: portcullis-data).")
    Path dataDir;

    @Option(names = {"--store-url", "--pg-url"}, paramLabel = "JDBC_URL",
            description = "The node's store; a jdbc:postgresql:… URL reads the cluster's PostgreSQL audit table.")
    String storeUrl;

    @Option(names = "--store-schema", description = "The cluster store's PostgreSQL schema (default: portcullis).")
    String storeSchema;

    @Option(names = "--keyring-file", paramLabel = "FILE", description = "The keyring (default: <data-dir>/keyring.json or $PORTCULLIS_KEYRING).")
    Path keyringFile;

    @Option(names = "--node-id", description = "The node whose key to use (default: the data directory's node id).")
    String nodeId;

    ServerConfig config() {
        ConfigLoader loader = new ConfigLoader();
        if (configFile != null) {
            loader.file(configFile);
        }
        return loader.environment(System.getenv()).flag("data-dir", dataDir).flag("store-url", storeUrl)
                .flag("store-schema", storeSchema).flag("keyring-file", keyringFile).flag("node-id", nodeId).load();
    }
}
