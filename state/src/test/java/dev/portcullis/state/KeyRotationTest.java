package dev.portcullis.state;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.change.Change.CreateAccount;
import dev.portcullis.state.change.Change.CreateUser;
import dev.portcullis.state.keyring.Keyring;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRotationTest {
    @TempDir
    Path dir;

    @Test
    void rotatingTheMasterKeyReencryptsSecretsLazily() throws Exception {
        Path file = dir.resolve("keyring.json");
        Keyring old = Keyring.loadOrCreate(file);
        NewAccessKey key;
        try (IamState s = IamState.open(Fixtures.sqlite(dir, old))) {
            s.apply(CreateAccount.of(ACCOUNT));
            s.apply(CreateUser.of(ACCOUNT, "u", "/"));
            key = s.createAccessKey(ACCOUNT, "u");
        }
        Keyring rotated = old.rotate(file);
        try (IamState s = IamState.open(Fixtures.sqlite(dir, rotated))) {
            assertThat(s.view().accessKey(key.accessKeyId()).orElseThrow().key().sealedSecret().keyId())
                    .isEqualTo(old.currentKeyId());
            assertThat(s.resealSecrets(100)).isEqualTo(1);
            assertThat(s.resealSecrets(100)).isZero();
            var entry = s.view().accessKey(key.accessKeyId()).orElseThrow();
            assertThat(entry.key().sealedSecret().keyId()).isEqualTo(rotated.currentKeyId());
            assertThat(entry.secret().matches(key.secret().reveal())).isTrue();
        }
    }
}
