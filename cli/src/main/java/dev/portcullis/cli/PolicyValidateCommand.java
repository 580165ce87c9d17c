package dev.portcullis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyValidationError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis policy validate FILE…}: reports every error of every document with AWS's code,
 * message and a JSON pointer. Exit status 0 when all are valid, 1 when any is not, 2 when a file cannot be read.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate policy documents; prints each error with AWS's code, message and JSON location.")
final class PolicyValidateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy documents (JSON).")
    List<Path> files;

    @Option(names = "--kind", defaultValue = "MANAGED",
            description = "Where the policy is attached, for its size quota and Principal rules: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    PolicyKind kind;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode report = mapper.createArrayNode();
        boolean allValid = true;
        for (Path f : files) {
            String document;
            try {
                document = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                err.println(f + ": cannot read: " + e.getMessage());
                return 2;
            }
            List<PolicyValidationError> errors = Policies.validate(document, kind);
            allValid &= errors.isEmpty();
            if (json) {
                ObjectNode n = report.addObject();
                n.put("file", f.toString());
                n.put("kind", kind.name());
                n.put("valid", errors.isEmpty());
                ArrayNode es = n.putArray("errors");
                for (PolicyValidationError e : errors) {
                    es.addObject().put("code", e.code()).put("message", e.message()).put("location", e.location());
                }
            } else if (errors.isEmpty()) {
                out.println(f + ": valid " + kind + " policy");
            } else {
                for (PolicyValidationError e : errors) {
                    out.println(f + ": " + e.code() + ": " + e.message()
                            + (e.location().isEmpty() ? "" : " (at " + e.location() + ")"));
                }
            }
        }
        if (json) {
            out.println(report.toPrettyString());
        }
        out.flush();
        return allValid ? 0 : 1;
    }
}
