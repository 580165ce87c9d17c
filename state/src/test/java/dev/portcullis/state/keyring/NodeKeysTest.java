package dev.portcullis.state.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.state.PostgresSupport;
import dev.portcullis.state.store.NodeKey;
import dev.portcullis.state.store.PostgresStore;
import dev.portcullis.state.store.SqliteStore;
import dev.portcullis.state.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeysTest {

    @TempDir
    Path dir;

    @Test
    void aNodeKeyIsCreatedOncePersistsAndIsStoredSealed() {
        Keyring keyring = Keyring.generate();
        String first;
        try (Store store = SqliteStore.open(dir.resolve("p.db"))) {
            NodeKeys keys = new NodeKeys(store, keyring);
            first = keys.loadOrCreate("n1", "audit-signing", "secret-one"::toCharArray).revealAsString();
            assertThat(first).isEqualTo("secret-one");
            assertThat(keys.loadOrCreate("n1", "audit-signing", "other"::toCharArray).revealAsString()).isEqualTo(first);
            assertThat(keys.loadOrCreate("n2", "audit-signing", "two"::toCharArray).revealAsString()).isEqualTo("two");
            assertThat(keys.addIfAbsent("n1", "audit-signing", "late".toCharArray())).isFalse();
            NodeKey stored = store.nodeKey("n1", "audit-signing").orElseThrow();
            assertThat(stored.sealed().keyId()).isEqualTo(keyring.currentKeyId());
            assertThat(stored.sealed().ciphertext()).doesNotContain("secret-one");
        }
        try (Store store = SqliteStore.open(dir.resolve("p.db"))) {
            NodeKeys keys = new NodeKeys(store, keyring);
            assertThat(keys.find("n1", "audit-signing").orElseThrow().revealAsString()).isEqualTo(first);
            assertThat(keys.nodes("audit-signing")).containsExactly("n1", "n2");
            assertThat(keys.find("n3", "audit-signing")).isEmpty();
        }
    }

    @Test
    void aSealedKeyMovedToAnotherNodesRowDoesNotOpen() {
        Keyring keyring = Keyring.generate();
        try (Store store = SqliteStore.open(dir.resolve("p.db"))) {
            NodeKeys keys = new NodeKeys(store, keyring);
            keys.loadOrCreate("n1", "audit-signing", "mine"::toCharArray);
            NodeKey n1 = store.nodeKey("n1", "audit-signing").orElseThrow();
            store.addNodeKey(new NodeKey("n2", "audit-signing", n1.sealed(), Instant.now()));
            assertThatThrownBy(() -> keys.find("n2", "audit-signing")).isInstanceOf(KeyringException.class)
                    .hasMessageContaining("authentication failed");
        }
    }

    @Test
    void keysAreResealedUnderTheNewMasterKeyAfterARotation() {
        Path file = dir.resolve("keyring.json");
        Keyring old = Keyring.loadOrCreate(file);
        try (Store store = SqliteStore.open(dir.resolve("p.db"))) {
            new NodeKeys(store, old).loadOrCreate("n1", "audit-signing", "kept"::toCharArray);
        }
        Keyring rotated = old.rotate(file);
        try (Store store = SqliteStore.open(dir.resolve("p.db"))) {
            NodeKeys keys = new NodeKeys(store, rotated);
            assertThat(keys.reseal(10)).isEqualTo(1);
            assertThat(keys.reseal(10)).isZero();
            assertThat(store.nodeKey("n1", "audit-signing").orElseThrow().sealed().keyId())
                    .isEqualTo(rotated.currentKeyId());
            assertThat(keys.find("n1", "audit-signing").orElseThrow().revealAsString()).isEqualTo("kept");
        }
    }

    @Test
    void postgresKeepsOneKeyPerNodeAndPurpose() throws Exception {
        PostgresSupport.requirePostgres();
        String schema = PostgresSupport.freshSchema();
        Keyring keyring = Keyring.generate();
        try (Store a = PostgresStore.open(PostgresSupport.URL, schema, 2);
             Store b = PostgresStore.open(PostgresSupport.URL, schema, 2)) {
            String kept = new NodeKeys(a, keyring).loadOrCreate("n1", "audit-signing", "from-a"::toCharArray)
                    .revealAsString();
            assertThat(new NodeKeys(b, keyring).addIfAbsent("n1", "audit-signing", "from-b".toCharArray())).isFalse();
            assertThat(new NodeKeys(b, keyring).find("n1", "audit-signing").orElseThrow().revealAsString())
                    .isEqualTo(kept).isEqualTo("from-a");
        } finally {
            PostgresSupport.drop(schema);
        }
    }
}
