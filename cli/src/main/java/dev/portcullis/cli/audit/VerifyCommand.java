package dev.portcullis.cli.audit;

import dev.portcullis.audit.chain.PublicKeys;
import dev.portcullis.audit.verify.AuditVerifier;
import dev.portcullis.audit.verify.NodeReport;
import dev.portcullis.audit.verify.VerificationResult;
import dev.portcullis.server.NodeAudit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Recomputes every hash and signature; exit 0 when all verify, 1 naming the first record that does not, 2 on error. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Recompute every hash and digest signature of the audit trail.",
                "Exit status: 0 verified, 1 tampering found (the first bad record is named), 2 could not verify."})
final class VerifyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AuditSource source;

    @Option(names = "--public-key", description = {"PEM public key(s) from 'portcullis audit public-key' (--all: one per node).",
            "Default: the keys held in the node's keyring; an auditor should pass the exported keys instead."})
    Path publicKey;

    @Option(names = "--node", description = "Verify only this node's chain.")
    String node;

    @Option(names = "--from", converter = TimeArgument.class, description = "Start at the last digest at or before this time (ISO-8601 or an age like 2h).")
    Instant from;

    @Option(names = "--to", converter = TimeArgument.class, description = "Stop at the first digest at or after this time.")
    Instant to;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AuditSource.Opened opened = source.open()) {
            AuditVerifier verifier = new AuditVerifier(keys(err));
            VerificationResult result = verifier.verify(opened.log(), Optional.ofNullable(node),
                    Optional.ofNullable(from), Optional.ofNullable(to));
            if (result.nodes().isEmpty()) {
                err.println("portcullis audit verify: no audit records in " + opened.description());
                return 2;
            }
            for (NodeReport n : result.nodes()) {
                out.println("node " + n.nodeId() + ": " + (n.verified() ? "ok" : "FAILED") + ", records " + n.firstSeq()
                        + ".." + n.lastSeq() + ", " + n.events() + " events, " + n.restarts() + " restarts, "
                        + n.digests() + " digests" + (n.unsignedTail() > 0 ? ", " + n.unsignedTail() + " not yet digested" : ""));
            }
            out.println(result.summary());
            out.flush();
            return result.verified() ? 0 : 1;
        } catch (Exception e) { // IOException, AuditSinkException, a bad key or table name: all "could not verify"
            err.println("portcullis audit verify: " + e.getMessage());
            return 2;
        }
    }

    private List<PublicKey> keys(PrintWriter err) throws IOException {
        if (publicKey != null) {
            return PublicKeys.readAll(publicKey);
        }
        try (NodeAudit.KeyStore store = NodeAudit.openKeys(source.node.config())) {
            List<PublicKey> keys = List.copyOf(NodeAudit.publicKeys(store.keys()).values());
            if (keys.isEmpty()) {
                throw new IOException("no --public-key given and no audit key in the keyring of " + store.store().location());
            }
            err.println("note: verifying with the public keys of the node keyring in " + store.store().location()
                    + "; an auditor should pass the exported keys with --public-key");
            return keys;
        }
    }
}
