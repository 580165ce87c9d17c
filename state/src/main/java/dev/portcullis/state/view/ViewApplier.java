package dev.portcullis.state.view;

import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.keyring.Keyring;

/**
 * Validates a {@link Change} against a view and produces the next view, or rejects the change
 * with AWS's error. Deterministic: every node applying the same log gets the same model.
 * Stateless apart from its collaborators, so thread-safe.
 */
public final class ViewApplier {
    private final PolicyCompiler compiler;
    private final Keyring keyring;

    public ViewApplier(PolicyCompiler compiler, Keyring keyring) {
        this.compiler = compiler;
        this.keyring = keyring;
    }

    /** The view after {@code change}, stamped with {@code sequence}; {@code view} is untouched. */
    public IamView apply(IamView view, Change change, long sequence) throws IamException {
        Draft draft = new Draft(view, compiler, keyring);
        Mutations.apply(draft, change);
        return draft.build(sequence);
    }

    /** Checks that {@code change} would apply to {@code view}, without keeping the result. */
    public void validate(IamView view, Change change) throws IamException {
        apply(view, change, view.sequence());
    }

    /** The same model at {@code sequence}: a log entry that no longer applies is skipped. */
    public IamView skip(IamView view, long sequence) {
        return new Draft(view, compiler, keyring).build(sequence);
    }

    PolicyCompiler compiler() {
        return compiler;
    }

    Keyring keyring() {
        return keyring;
    }
}
