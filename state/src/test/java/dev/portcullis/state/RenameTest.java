package dev.portcullis.state;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static dev.portcullis.state.Fixtures.READ_S3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.AccessKeyEntry;
import dev.portcullis.state.view.CompiledPolicy;
import dev.portcullis.state.view.IamView;
import java.nio.file.Path;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UpdateUser and UpdateGroup: renames and moves that every index follows. */
class RenameTest {
    static final String ARN = "arn:aws:iam::" + ACCOUNT + ":";

    @TempDir
    Path dir;
    Keyring keyring = Keyring.generate();
    IamState state;
    String managed;
    String groupManaged;
    NewAccessKey key;

    @BeforeEach
    void open() throws IamException {
        state = IamState.open(Fixtures.sqlite(dir, keyring));
        state.apply(CreateAccount.of(ACCOUNT));
        state.apply(CreatePolicy.of(ACCOUNT, "ReadReports", "/", READ_S3));
        state.apply(CreatePolicy.of(ACCOUNT, "TeamRead", "/", READ_S3));
        managed = ARN + "policy/ReadReports";
        groupManaged = ARN + "policy/TeamRead";
        state.apply(CreateUser.of(ACCOUNT, "alice", "/eng/"));
        state.apply(CreateGroup.of(ACCOUNT, "analysts", "/"));
        state.apply(new AddUserToGroup(ACCOUNT, "analysts", "alice"));
        state.apply(new PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "alice", "own", READ_S3));
        state.apply(new AttachPolicy(ACCOUNT, PrincipalKind.USER, "alice", managed));
        state.apply(new PutInlinePolicy(ACCOUNT, PrincipalKind.GROUP, "analysts", "team", READ_S3));
        state.apply(new AttachPolicy(ACCOUNT, PrincipalKind.GROUP, "analysts", groupManaged));
        key = state.createAccessKey(ACCOUNT, "alice");
    }

    @AfterEach
    void close() {
        state.close();
    }

    private static void assertIam(ThrowingCallable call, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IamException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private static void assertRenamedUser(IamView v, String userId, String groupName, String groupArn,
                                          NewAccessKey key, String managed, String groupManaged) {
        String newArn = ARN + "user/ops/alicia";
        User u = v.user(ACCOUNT, "ALICIA").orElseThrow();
        assertThat(u.userName()).isEqualTo("alicia");
        assertThat(u.path()).isEqualTo("/ops/");
        assertThat(u.userId()).isEqualTo(userId);
        assertThat(u.arn()).isEqualTo(newArn);
        assertThat(u.groups()).containsExactly(groupName);
        assertThat(u.attachedPolicies()).containsExactly(managed);
        assertThat(u.inlinePolicies()).containsOnlyKeys("own");
        assertThat(v.user(ACCOUNT, "alice")).isEmpty();
        assertThat(v.userByArn(newArn)).contains(u);
        assertThat(v.userByArn(ARN + "user/eng/alice")).isEmpty();
        assertThat(v.users(ACCOUNT)).extracting(User::userName).containsExactly("alicia");

        AccessKeyEntry e = v.accessKey(key.accessKeyId()).orElseThrow();
        assertThat(e.key().ownerName()).isEqualTo("alicia");
        assertThat(e.key().ownerArn()).isEqualTo(newArn);
        assertThat(e.secret().matches(key.secret().reveal())).isTrue();
        assertThat(v.accessKeys(ACCOUNT, "alicia")).extracting(x -> x.key().accessKeyId())
                .containsExactly(key.accessKeyId());
        assertThat(v.accessKeys(ACCOUNT, "alice")).isEmpty();

        assertThat(v.principalPolicies(ARN + "user/eng/alice")).isNull();
        assertThat(v.principalPolicies(newArn).identityPolicies())
                .extracting(CompiledPolicy::source, CompiledPolicy::name).containsExactly(
                        tuple(newArn, "own"), tuple(managed, "v1"), tuple(groupArn, "team"), tuple(groupManaged, "v1"));
        assertThat(v.groupMembers(ACCOUNT, groupName)).extracting(User::userName).containsExactly("alicia");
        assertThat(v.managedPolicy(managed).orElseThrow().attachmentCount()).isEqualTo(1);
        assertThat(v.managedPolicy(groupManaged).orElseThrow().attachmentCount()).isEqualTo(1);
    }

    @Test
    void renamedAndMovedUserKeepsItsIdKeysGroupsAndPoliciesUnderTheNewArn() throws IamException {
        String userId = state.view().user(ACCOUNT, "alice").orElseThrow().userId();
        state.apply(new UpdateUser(ACCOUNT, "Alice", Optional.of("alicia"), Optional.of("/ops/")));
        assertRenamedUser(state.view(), userId, "analysts", ARN + "group/analysts", key, managed, groupManaged);
        // Later changes find the user by its new name only.
        state.apply(new DeleteInlinePolicy(ACCOUNT, PrincipalKind.USER, "alicia", "own"));
        assertThat(state.view().principalPolicies(ARN + "user/ops/alicia").identityPolicies()).hasSize(3);
        assertIam(() -> state.apply(new PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "alice", "x", READ_S3)),
                "NoSuchEntity", "The user with name alice cannot be found.");
    }

    @Test
    void renamedAndMovedGroupKeepsItsMembersAndPolicies() throws IamException {
        String groupId = state.view().group(ACCOUNT, "analysts").orElseThrow().groupId();
        state.apply(new UpdateGroup(ACCOUNT, "analysts", Optional.of("Researchers"), Optional.of("/science/")));
        IamView v = state.view();
        var g = v.group(ACCOUNT, "researchers").orElseThrow();
        assertThat(g.groupName()).isEqualTo("Researchers");
        assertThat(g.groupId()).isEqualTo(groupId);
        assertThat(g.arn()).isEqualTo(ARN + "group/science/Researchers");
        assertThat(g.attachedPolicies()).containsExactly(groupManaged);
        assertThat(v.group(ACCOUNT, "analysts")).isEmpty();
        assertThat(v.groups(ACCOUNT)).extracting(x -> x.groupName()).containsExactly("Researchers");
        assertThat(v.user(ACCOUNT, "alice").orElseThrow().groups()).containsExactly("Researchers");
        assertThat(v.groupMembers(ACCOUNT, "Researchers")).extracting(User::userName).containsExactly("alice");
        assertThat(v.groupMembers(ACCOUNT, "analysts")).isEmpty();
        assertThat(v.principalPolicies(ARN + "user/eng/alice").identityPolicies())
                .extracting(CompiledPolicy::source, CompiledPolicy::name).containsExactly(
                        tuple(ARN + "user/eng/alice", "own"), tuple(managed, "v1"),
                        tuple(ARN + "group/science/Researchers", "team"), tuple(groupManaged, "v1"));
        // Membership changes and deletion use the new name.
        state.apply(new RemoveUserFromGroup(ACCOUNT, "researchers", "alice"));
        assertThat(state.view().principalPolicies(ARN + "user/eng/alice").identityPolicies()).hasSize(2);
    }

    @Test
    void renamingToATakenNameFailsWithEntityAlreadyExists() throws IamException {
        state.apply(CreateUser.of(ACCOUNT, "bob", "/"));
        state.apply(CreateGroup.of(ACCOUNT, "admins", "/"));
        long before = state.appliedSequence();
        assertIam(() -> state.apply(new UpdateUser(ACCOUNT, "alice", Optional.of("BOB"), Optional.empty())),
                "EntityAlreadyExists", "User with name BOB already exists.");
        assertIam(() -> state.apply(new UpdateGroup(ACCOUNT, "analysts", Optional.of("Admins"), Optional.empty())),
                "EntityAlreadyExists", "Group with name Admins already exists.");
        assertThat(state.appliedSequence()).isEqualTo(before);
        assertThat(state.view().user(ACCOUNT, "alice").orElseThrow().arn()).isEqualTo(ARN + "user/eng/alice");
    }

    @Test
    void changingOnlyTheCaseOfTheNameIsARename() throws IamException {
        state.apply(new UpdateUser(ACCOUNT, "alice", Optional.of("Alice"), Optional.empty()));
        IamView v = state.view();
        assertThat(v.user(ACCOUNT, "alice").orElseThrow().userName()).isEqualTo("Alice");
        assertThat(v.principalPolicies(ARN + "user/eng/Alice")).isNotNull();
        assertThat(v.principalPolicies(ARN + "user/eng/alice")).isNull();
        assertThat(v.accessKey(key.accessKeyId()).orElseThrow().key().ownerArn()).isEqualTo(ARN + "user/eng/Alice");
    }

    @Test
    void missingEntitiesAndBadNamesOrPathsAreRejected() {
        assertIam(() -> state.apply(new UpdateUser(ACCOUNT, "nobody", Optional.of("x"), Optional.empty())),
                "NoSuchEntity", "The user with name nobody cannot be found.");
        assertIam(() -> state.apply(new UpdateGroup(ACCOUNT, "nobody", Optional.of("x"), Optional.empty())),
                "NoSuchEntity", "The group with name nobody cannot be found.");
        assertThatThrownBy(() -> state.apply(new UpdateUser(ACCOUNT, "alice", Optional.of("bad name"),
                Optional.empty()))).isInstanceOfSatisfying(IamException.class,
                        e -> assertThat(e.code()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> state.apply(new UpdateGroup(ACCOUNT, "analysts", Optional.empty(),
                Optional.of("no-slashes")))).isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.code()).isEqualTo("ValidationError");
                    assertThat(e.getMessage()).contains("'newPath'");
                });
    }

    @Test
    void renamesSurviveARestartFromTheLogAndFromASnapshot() throws IamException {
        String userId = state.view().user(ACCOUNT, "alice").orElseThrow().userId();
        state.snapshotNow();
        state.apply(new UpdateUser(ACCOUNT, "alice", Optional.of("alicia"), Optional.of("/ops/")));
        state.apply(new UpdateGroup(ACCOUNT, "analysts", Optional.of("researchers"), Optional.empty()));
        IamView before = state.view();

        state.close(); // snapshot from before the renames + the renames replayed from the log
        state = IamState.open(Fixtures.sqlite(dir, keyring));
        assertThat(state.view().sequence()).isEqualTo(before.sequence());
        assertRenamedUser(state.view(), userId, "researchers", ARN + "group/researchers", key, managed, groupManaged);

        state.snapshotNow();
        state.close(); // the renamed model from a snapshot alone
        state = IamState.open(Fixtures.sqlite(dir, keyring));
        assertRenamedUser(state.view(), userId, "researchers", ARN + "group/researchers", key, managed, groupManaged);
        assertThat(state.view().user(ACCOUNT, "alicia")).isEqualTo(before.user(ACCOUNT, "alicia"));
    }
}
