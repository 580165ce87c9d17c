package dev.portcullis.audit.event;

import java.util.List;
import java.util.Objects;

/**
 * The authorization decision recorded with an event: the outcome, whether the route was in
 * report-only mode (decided and logged, never enforced), and the statements that decided it
 * (for example {@code arn:aws:iam::111122223333:policy/Readers#Sid=AllowRead}).
 */
public record Decision(Outcome outcome, boolean reportOnly, List<String> decisiveStatements) {

    /** The three outcomes of IAM policy evaluation, spelled as AWS spells them. */
    public enum Outcome {
        Allow, ExplicitDeny, ImplicitDeny
    }

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        decisiveStatements = decisiveStatements == null ? List.of() : List.copyOf(decisiveStatements);
    }

    public static Decision of(Outcome outcome, String... decisiveStatements) {
        return new Decision(outcome, false, List.of(decisiveStatements));
    }

    public boolean allowed() {
        return outcome == Outcome.Allow;
    }
}
