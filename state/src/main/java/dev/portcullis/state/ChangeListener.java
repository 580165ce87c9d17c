package dev.portcullis.state;

import dev.portcullis.state.change.Change;

/**
 * Told of each change this node appends through {@link IamState#apply}, right after it is durable in the
 * log and visible in the view, before {@code apply} returns (so before the caller acknowledges it). Not
 * told of changes replicated from other nodes: the node that made a change reports it. Called on the
 * applying thread with the node's write lock held: keep it short and non-blocking. An exception it
 * throws is logged and does not undo the change.
 */
@FunctionalInterface
public interface ChangeListener {

    /**
     * @param sequence the change's log sequence
     * @param change   the change as logged (sealed secrets included: the listener must drop them)
     * @param actor    the caller's principal ARN when the change was applied with one, else null
     */
    void applied(long sequence, Change change, String actor);
}
