package dev.portcullis.state;

import dev.portcullis.state.change.Change.CreateAccount;
import dev.portcullis.state.change.Change.CreateUser;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process for {@link CrashSafetyTest}: applies mutations forever and prints each
 * acknowledged one ({@code ACK <sequence> <userName>}) once {@code apply} has returned.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        IamState state = IamState.open(StateConfig.sqlite(dir).withSnapshotEvery(50)
                .withPollInterval(Duration.ofSeconds(5)));
        if (state.view().account(Fixtures.ACCOUNT).isEmpty()) {
            state.apply(CreateAccount.of(Fixtures.ACCOUNT));
        }
        for (int i = 0; ; i++) {
            String name = "crash-" + i;
            Applied a = state.apply(CreateUser.of(Fixtures.ACCOUNT, name, "/"));
            if (i % 3 == 0) {
                state.createAccessKey(Fixtures.ACCOUNT, name);
            }
            System.out.println("ACK " + a.sequence() + " " + name);
            System.out.flush();
        }
    }
}
