package dev.portcullis.cli.audit;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis audit …}. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verify, query and follow the tamper-evident audit trail.",
        subcommands = {PublicKeyCommand.class, VerifyCommand.class, QueryCommand.class, TailCommand.class})
public final class AuditCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
