package dev.portcullis.state;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.Change.CreateAccount;
import dev.portcullis.state.change.Change.CreateUser;
import dev.portcullis.state.change.Change.DeleteUser;
import dev.portcullis.state.keyring.Keyring;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one hook the audit trail uses: each change this node applies, once, after it is durable. */
class ChangeListenerTest {
    @TempDir
    Path dir;

    record Seen(long sequence, String type, String actor, boolean visible) {
    }

    @Test
    void isToldOfEachChangeThisNodeAppliesWithItsSequenceAndActorOnceItIsVisible() throws Exception {
        try (IamState state = IamState.open(Fixtures.sqlite(dir, Keyring.generate()))) {
            List<Seen> seen = new CopyOnWriteArrayList<>();
            state.onApplied((seq, change, actor) -> seen.add(new Seen(seq, change.type(), actor,
                    state.appliedSequence() == seq)));
            state.apply(CreateAccount.of(ACCOUNT));
            state.apply(CreateUser.of(ACCOUNT, "alice", "/"), "arn:aws:iam::" + ACCOUNT + ":root");
            assertThat(seen).containsExactly(new Seen(1, "CreateAccount", null, true),
                    new Seen(2, "CreateUser", "arn:aws:iam::" + ACCOUNT + ":root", true));
        }
    }

    @Test
    void isNotToldOfRejectedChangesNorOfChangesReplicatedFromAnotherNode() throws Exception {
        Keyring keyring = Keyring.generate();
        try (IamState a = IamState.open(Fixtures.sqlite(dir, keyring).withNodeName("a"));
             IamState b = IamState.open(Fixtures.sqlite(dir, keyring).withNodeName("b"))) {
            List<Change> onA = new CopyOnWriteArrayList<>();
            List<Change> onB = new CopyOnWriteArrayList<>();
            a.onApplied((seq, change, actor) -> onA.add(change));
            b.onApplied((seq, change, actor) -> onB.add(change));
            a.apply(CreateAccount.of(ACCOUNT));
            b.apply(CreateUser.of(ACCOUNT, "bob", "/"));
            try {
                b.apply(new DeleteUser(ACCOUNT, "nobody"));
            } catch (IamException expected) {
                assertThat(expected.code()).isEqualTo("NoSuchEntity");
            }
            a.catchUp();
            assertThat(a.view().user(ACCOUNT, "bob")).isPresent();
            assertThat(onA).extracting(Change::type).containsExactly("CreateAccount");
            assertThat(onB).extracting(Change::type).containsExactly("CreateUser");
        }
    }

    @Test
    void aFailingListenerDoesNotUndoTheChange() throws Exception {
        try (IamState state = IamState.open(Fixtures.sqlite(dir, Keyring.generate()))) {
            state.onApplied((seq, change, actor) -> {
                throw new IllegalStateException("listener down");
            });
            Applied applied = state.apply(CreateAccount.of(ACCOUNT));
            assertThat(state.appliedSequence()).isEqualTo(applied.sequence()).isEqualTo(1);
        }
    }
}
