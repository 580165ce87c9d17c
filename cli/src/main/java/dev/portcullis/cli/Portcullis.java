package dev.portcullis.cli;

import dev.portcullis.cli.audit.AuditCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command. Each subcommand lives in its own class in this package. */
@Command(
        name = "portcullis",
        mixinStandardHelpOptions = true,
        version = "portcullis 0.1.0-SNAPSHOT",
        description = "AWS-style identity and access management for services that do not run on AWS.",
        subcommands = {CommandLine.HelpCommand.class, ServeCommand.class, SignCommand.class, VerifyCommand.class, PolicyCommand.class,
                AuditCommand.class, ServicePrincipalCommand.class})
public final class Portcullis implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Portcullis());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
