package dev.portcullis.state;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.IamView;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing JVM with SIGKILL mid-stream and checks what survives. */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMutationSurvivesKillDashNineAndNothingIsHalfApplied() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> acked = new ArrayList<>();
        long lastSeq = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < 250 && (line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                lastSeq = Long.parseLong(parts[1]);
                acked.add(parts[2]);
            }
            child.destroyForcibly(); // SIGKILL on POSIX: no shutdown hooks, no close()
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).hasSize(250);

        try (IamState reopened = IamState.open(Fixtures.sqlite(dir, Keyring.load(dir.resolve("keyring.json"))))) {
            IamView v = reopened.view();
            assertThat(v.sequence()).isGreaterThanOrEqualTo(lastSeq);
            for (String name : acked) {
                assertThat(v.user(ACCOUNT, name)).as(name).isPresent();
            }
            // Nothing half-applied: the log is gap-free and the model holds exactly what it says.
            var entries = reopened.store().readAfter(0, Integer.MAX_VALUE);
            for (int i = 0; i < entries.size(); i++) {
                assertThat(entries.get(i).sequence()).isEqualTo(i + 1);
            }
            long userChanges = entries.stream().filter(e -> e.changeType().equals("CreateUser")).count();
            long keyChanges = entries.stream().filter(e -> e.changeType().equals("CreateAccessKey")).count();
            List<User> users = v.users(ACCOUNT);
            assertThat(users).hasSize((int) userChanges);
            assertThat(v.accessKeyCount()).isEqualTo((int) keyChanges);
            for (User u : users) {
                assertThat(v.principalPolicies(u.arn())).isNotNull();
                v.accessKeys(ACCOUNT, u.userName()).forEach(k -> assertThat(k.secret().reveal()).hasSize(40));
            }
            // And the node keeps working after the crash.
            reopened.apply(dev.portcullis.state.change.Change.CreateUser.of(ACCOUNT, "after-crash", "/"));
        }
    }
}
