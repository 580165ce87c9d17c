package dev.portcullis.cli.audit;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.PublicKeys;
import dev.portcullis.server.NodeAudit;
import dev.portcullis.server.config.ServerConfig;
import java.io.PrintWriter;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints a node's audit signing public key as PEM, from the keyring-held key in the node's store
 * (generating it on first use, importing a legacy key file, exactly as the node does on start).
 */
@Command(name = "public-key", mixinStandardHelpOptions = true,
        description = {"Print the audit signing public key (PEM) that 'audit verify' needs; give it to auditors.",
                "The key is kept in the keyring (sealed in the node's store); --all prints every node's key (cluster)."})
final class PublicKeyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeOptions node;

    @Option(names = "--all", description = "Print the key of every node of the store, each after a '# node' comment line.")
    boolean all;

    @Option(names = "--key-id", description = "Print the key id after the PEM block.")
    boolean keyId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ServerConfig config = node.config();
            try (NodeAudit.KeyStore store = NodeAudit.openKeys(config)) {
                if (all) {
                    Map<String, PublicKey> keys = NodeAudit.publicKeys(store.keys());
                    if (keys.isEmpty()) {
                        spec.commandLine().getErr().println("portcullis audit public-key: no node has an audit key yet");
                        return 2;
                    }
                    keys.forEach((nodeId, key) -> {
                        out.println("# node " + nodeId + ", key-id " + PublicKeys.keyId(key));
                        out.print(PublicKeys.pem(key));
                    });
                } else {
                    AuditSigningKey key = NodeAudit.signingKey(store.keys(), NodeAudit.nodeId(config), config.dataDir());
                    out.print(PublicKeys.pem(key.publicKey()));
                    if (keyId) {
                        out.println("key-id: " + key.keyId());
                    }
                }
            }
            out.flush();
            return 0;
        } catch (Exception e) { // IOException, a bad setting, an unreachable store, a keyring that does not open the key
            spec.commandLine().getErr().println("portcullis audit public-key: " + e.getMessage());
            return 2;
        }
    }
}
