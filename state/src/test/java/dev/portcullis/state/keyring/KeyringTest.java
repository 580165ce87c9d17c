package dev.portcullis.state.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.state.model.SealedSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {
    @TempDir
    Path dir;

    @Test
    void sealedSecretOpensOnlyWithItsContext() {
        Keyring k = Keyring.generate();
        SealedSecret sealed = k.seal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".toCharArray(), "AKIAEXAMPLE");
        assertThat(sealed.ciphertext()).doesNotContain("wJalrXUtnFEMI");
        assertThat(k.open(sealed, "AKIAEXAMPLE").revealAsString()).isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertThatThrownBy(() -> k.open(sealed, "AKIAOTHER")).isInstanceOf(KeyringException.class)
                .hasMessageNotContaining("wJalr");
    }

    @Test
    void generatedKeyringFileIsOwnerOnlyAndReloads() throws Exception {
        Path file = dir.resolve("keyring.json");
        Keyring first = Keyring.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Keyring again = Keyring.loadOrCreate(file);
        SealedSecret s = first.seal("secret".toCharArray(), "ctx");
        assertThat(again.open(s, "ctx").revealAsString()).isEqualTo("secret");
        assertThat(first.toString()).doesNotContain(Files.readString(file).split("\"")[9]);
    }

    @Test
    void rotationKeepsOldKeysForOpeningAndSealsUnderTheNewOne() {
        Path file = dir.resolve("keyring.json");
        Keyring old = Keyring.loadOrCreate(file);
        SealedSecret before = old.seal("s".toCharArray(), "c");
        Keyring rotated = old.rotate(file);
        assertThat(rotated.currentKeyId()).isNotEqualTo(old.currentKeyId());
        assertThat(rotated.isStale(before)).isTrue();
        assertThat(Keyring.load(file).open(before, "c").revealAsString()).isEqualTo("s");
        assertThat(rotated.seal("s".toCharArray(), "c").keyId()).isEqualTo(rotated.currentKeyId());
    }

    @Test
    void secretToStringIsRedacted() {
        assertThat(new Secret("topsecret".toCharArray()).toString()).doesNotContain("topsecret");
    }

    @Test
    void invalidKeyringFileFailsWithoutEchoingIt() throws Exception {
        Path file = dir.resolve("keyring.json");
        Files.writeString(file, "{\"current\":\"k1\",\"keys\":{\"k1\":\"c2hvcnQ=\"}}");
        assertThatThrownBy(() -> Keyring.load(file)).isInstanceOf(KeyringException.class)
                .hasMessageContaining(file.toString()).hasMessageNotContaining("c2hvcnQ=");
    }
}
