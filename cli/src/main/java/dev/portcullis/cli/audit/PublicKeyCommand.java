package dev.portcullis.cli.audit;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.PublicKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the node's audit signing public key as PEM (generating the key pair on first use). */
@Command(name = "public-key", mixinStandardHelpOptions = true,
        description = "Print the audit signing public key (PEM) that 'audit verify' needs; give it to auditors.")
final class PublicKeyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "${env:PORTCULLIS_DATA_DIR:-portcullis-data}",
            description = "Data directory holding audit/audit-signing-key.pem (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--key-file", description = "The private key file, if not in the data directory.")
    Path keyFile;

    @Option(names = "--key-id", description = "Print the key id after the PEM block.")
    boolean keyId;

    @Override
    public Integer call() {
        Path file = keyFile != null ? keyFile : AuditSigningKey.defaultFile(dataDir);
        try {
            AuditSigningKey key = AuditSigningKey.loadOrCreate(file);
            spec.commandLine().getOut().print(PublicKeys.pem(key.publicKey()));
            if (keyId) {
                spec.commandLine().getOut().println("key-id: " + key.keyId());
            }
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("portcullis audit public-key: " + e.getMessage());
            return 2;
        }
    }
}
