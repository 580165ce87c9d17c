package dev.portcullis.state.store;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.state.Fixtures;
import dev.portcullis.state.IamState;
import dev.portcullis.state.change.Change.CreateAccount;
import dev.portcullis.state.change.Change.CreateUser;
import dev.portcullis.state.keyring.Keyring;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptStoreTest {
    @TempDir
    Path dir;
    Keyring keyring = Keyring.generate();

    private Path populated() throws Exception {
        try (IamState s = IamState.open(Fixtures.sqlite(dir, keyring))) {
            s.apply(CreateAccount.of(ACCOUNT));
            for (int i = 0; i < 300; i++) {
                s.apply(CreateUser.of(ACCOUNT, "user" + i + "x".repeat(40), "/"));
            }
        }
        return dir.resolve("portcullis.db");
    }

    @Test
    void fileThatIsNotSqliteFailsStartUpNamingTheFile() throws Exception {
        Path db = dir.resolve("portcullis.db");
        Files.writeString(db, "this is not a database, just some text that happens to be here".repeat(10));
        assertThatThrownBy(() -> IamState.open(Fixtures.sqlite(dir, keyring))).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("not a SQLite database");
    }

    @Test
    void emptyFileFailsStartUpInsteadOfStartingEmpty() throws Exception {
        Path db = dir.resolve("portcullis.db");
        Files.createFile(db);
        assertThatThrownBy(() -> IamState.open(Fixtures.sqlite(dir, keyring))).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("empty");
    }

    @Test
    void truncatedFileFailsStartUpNamingTheFile() throws Exception {
        Path db = populated();
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        assertThatThrownBy(() -> IamState.open(Fixtures.sqlite(dir, keyring))).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("truncated");
    }

    @Test
    void overwrittenPagesFailStartUpNamingTheFile() throws Exception {
        Path db = populated();
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
            byte[] junk = new byte[8192];
            java.util.Arrays.fill(junk, (byte) 0x5A);
            ch.write(java.nio.ByteBuffer.wrap(junk), 4096);
        }
        assertThatThrownBy(() -> IamState.open(Fixtures.sqlite(dir, keyring))).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString());
    }
}
