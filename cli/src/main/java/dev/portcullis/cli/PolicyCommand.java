package dev.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis policy …}: work with IAM policy documents locally. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Validate IAM policy documents and simulate authorization decisions.",
        subcommands = {PolicyValidateCommand.class, PolicySimulateCommand.class})
final class PolicyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
